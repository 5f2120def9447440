/**
 * Rotating the log's signing key (`npm run admin -- rotate-log-key`; docs/operations.md): appends,
 * under the log's append lock, the key rotation record by which the key in force hands the log to
 * the next key (docs/disclosure.md). Safe beside running API and worker processes: they append
 * under the same lock, and each signs only with the key the log names after it (LogSigner), so a
 * process without the next key waits (retryably) instead of signing past the rotation.
 *
 * Idempotent: run again after a crash, it finds its rotation in the log and finishes the key
 * store's part; a key the log has used before is never taken again.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  appendKeyRotation,
  keyId,
  parsePrivateKey,
  type KeyRotationRecord,
  type LogKeyStore,
} from '@openccs/disclosure';
import { DisclosureRepository, keyRotationPublicationKey } from './repositories/disclosure.repository';

export interface LogKeyRotation {
  /** The key in force from `fromTreeSize` on. */
  readonly keyId: string;
  readonly fromTreeSize: number;
  /** Position of the rotation record (`fromTreeSize` - 1). */
  readonly announcedAt: number;
  readonly previousKeyId: string;
  /** SPKI PEM of the new key: what the agency publishes as the log's new fingerprint. */
  readonly publicKey: string;
  /** False when an earlier run had already appended this rotation (this run finished it). */
  readonly appended: boolean;
}

const pemOf = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * Hands the log to the next key, signed by the key in force.
 *
 * The key in force must be among the keys this call holds: LOG_SIGNING_KEY, LOG_SIGNING_KEY_NEXT
 * and, with a `store`, the store's keys. The next key is `options.newKey`, else
 * LOG_SIGNING_KEY_NEXT, else a key the store staged, else (with a store only) a new one the store
 * keeps; in production, without a store, a next key must be given.
 */
export async function rotateLogKey(
  ds: DataSource,
  config: { disclosure: { signingKey: string | undefined; nextSigningKey?: string | undefined } },
  options: { newKey?: KeyObject; store?: LogKeyStore } = {},
): Promise<LogKeyRotation> {
  const { store } = options;
  const held = [config.disclosure.signingKey, config.disclosure.nextSigningKey, ...(store?.keys() ?? [])]
    .filter((k): k is string => !!k)
    .map(parsePrivateKey);
  const byId = new Map(held.map((k) => [keyId(createPublicKey(k)), k]));
  const log = new DisclosureRepository(ds);
  const rotations = await log.keyRotations();
  const head = await log.latestHead();
  const inForce = head?.keyId ?? null;

  const configuredNext = config.disclosure.nextSigningKey
    ? parsePrivateKey(config.disclosure.nextSigningKey)
    : undefined;
  const staged = store?.staged();
  // The configured next key even when already in force: run again, it finds its rotation done.
  const next =
    options.newKey ??
    configuredNext ??
    (staged ? parsePrivateKey(staged) : undefined) ??
    (store ? generateKeyPairSync('ed25519').privateKey : undefined);
  if (!next)
    throw new Error(
      'no next key: set LOG_SIGNING_KEY_NEXT to the new Ed25519 private key on this command (and on every API and worker process) first',
    );
  const nextPrivate = next.type === 'private' ? next : undefined;
  if (!nextPrivate) throw new Error('the next key must be a private key: the log is signed with it');
  if (createPrivateKey(pemOf(nextPrivate)).asymmetricKeyType !== 'ed25519')
    throw new Error('the next log signing key must be an Ed25519 key');
  const nextId = keyId(createPublicKey(nextPrivate));

  const done = rotations.find((r) => r.rotation.nextKey.keyId === nextId);
  if (done && inForce === nextId) return finish(done, false);
  const used = new Set([
    ...rotations.flatMap((r) => [r.rotation.previousKey.keyId, r.rotation.nextKey.keyId]),
    ...(inForce ? [inForce] : []),
  ]);
  if (used.has(nextId))
    throw new Error(`key ${nextId} has already signed this log: a rotation needs a key never used before`);

  // Kept before the log names it: a crash after the commit must not lose the only key that can sign.
  if (store && store.staged() !== pemOf(nextPrivate)) store.stage(pemOf(nextPrivate));

  const entry = await log.appendOnce(
    keyRotationPublicationKey(nextId),
    { projectId: null, reportId: null },
    (tail) => {
      // Read under the lock: another rotation may have committed since the reads above.
      const current = tail.keyId === null || tail.keyId === undefined ? held[0] : byId.get(tail.keyId);
      if (!current)
        throw new Error(
          `the log is signed by key ${String(tail.keyId)}, which this command does not hold: give it that key (LOG_SIGNING_KEY)`,
        );
      return appendKeyRotation(tail, current, nextPrivate, {
        id: randomUUID(),
        publishedAt: new Date().toISOString(),
      });
    },
  );
  return finish(entry.record as KeyRotationRecord, true);

  function finish(record: KeyRotationRecord, appended: boolean): LogKeyRotation {
    if (store) {
      const previous = byId.get(record.rotation.previousKey.keyId);
      if (previous) store.promote(pemOf(nextPrivate as KeyObject), pemOf(previous));
    }
    return {
      keyId: record.rotation.nextKey.keyId,
      fromTreeSize: record.rotation.fromTreeSize,
      announcedAt: record.seq,
      previousKeyId: record.rotation.previousKey.keyId,
      publicKey: record.rotation.nextKey.publicKey,
      appended,
    };
  }
}
