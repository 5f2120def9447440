/**
 * The log's signing keys: which key signs the head of each tree size, as the log itself says.
 *
 * The first key signs every head until a key rotation record (record.ts) announces the next: that
 * record, at position p, is signed by the key it retires over the next key, its id and the tree
 * size it takes effect from (p + 1: the first tree holding the announcement is the first the next
 * key signs). Whoever trusts the first key therefore trusts each later one through a chain of
 * signatures kept in the log, and needs no server's word for any of them (docs/disclosure.md).
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { KeyRotationRecord } from './record';
import { keyId, parsePrivateKey, publicKeyPem, signTreeHead, type SignedTreeHead } from './tree-head';

/** Domain separation: these bytes can never be mistaken for a signed tree head's. */
const ROTATION_PURPOSE = 'openccs-log-key-rotation-v1';

/** The bytes the retiring key signs: canonical JSON of the announcement and its purpose. */
export function rotationSignedBytes(rotation: {
  previousKeyId: string;
  keyId: string;
  publicKey: string;
  fromTreeSize: number;
}): Buffer {
  return Buffer.from(
    canonicalize({
      fromTreeSize: rotation.fromTreeSize,
      keyId: rotation.keyId,
      previousKeyId: rotation.previousKeyId,
      publicKey: rotation.publicKey,
      purpose: ROTATION_PURPOSE,
    }) ?? '',
  );
}

/**
 * The rotation record at position `meta.seq` handing the log from `previous` (a private key, which
 * signs the announcement) to `next` (its public half is what the record names).
 */
export function keyRotationRecordOf(
  previous: KeyObject,
  next: KeyObject,
  meta: { seq: number; id: string; publishedAt: string },
): KeyRotationRecord {
  const previousPublic = createPublicKey(previous);
  const nextPublic = createPublicKey(next);
  const nextKey = { keyId: keyId(nextPublic), publicKey: publicKeyPem(nextPublic) };
  const previousKey = { keyId: keyId(previousPublic), publicKey: publicKeyPem(previousPublic) };
  const fromTreeSize = meta.seq + 1;
  const signature = sign(
    null,
    rotationSignedBytes({ previousKeyId: previousKey.keyId, ...nextKey, fromTreeSize }),
    previous,
  ).toString('base64');
  return {
    type: 'key_rotation',
    seq: meta.seq,
    id: meta.id,
    publishedAt: meta.publishedAt,
    rotation: { previousKey, nextKey, fromTreeSize, signature },
  };
}

/**
 * Why `record` is not a valid hand-over from `current` (the key in force at its position), or
 * null when it is: it must name `current` as the previous key, name a readable Ed25519 next key
 * by its true id, take effect right after itself, and carry `current`'s signature over all that.
 */
export function rotationProblem(record: KeyRotationRecord, current: KeyObject): string | null {
  const r = record.rotation as Partial<KeyRotationRecord['rotation']> | undefined;
  if (!r?.nextKey || !r.previousKey || typeof r.signature !== 'string')
    return 'it lacks the previous key, the next key or the signature';
  const currentId = keyId(current);
  if (r.previousKey.keyId !== currentId)
    return `it names ${String(r.previousKey.keyId)} as the previous key, but the key in force at its position is ${currentId}`;
  let next: KeyObject;
  try {
    next = createPublicKey(r.nextKey.publicKey);
  } catch {
    return 'its next public key is not a readable public key';
  }
  if (next.asymmetricKeyType !== 'ed25519') return 'its next key is not an Ed25519 key';
  if (keyId(next) !== r.nextKey.keyId)
    return `its next key id ${String(r.nextKey.keyId)} is not the id of the public key it names (${keyId(next)})`;
  if (r.nextKey.keyId === currentId) return 'it hands the log over to the key already in force';
  if (r.fromTreeSize !== record.seq + 1)
    return `it says the next key takes effect from tree size ${String(r.fromTreeSize)}, but its position ${record.seq} decides ${record.seq + 1}`;
  const bytes = rotationSignedBytes({
    previousKeyId: currentId,
    keyId: r.nextKey.keyId,
    publicKey: r.nextKey.publicKey,
    fromTreeSize: r.fromTreeSize,
  });
  let valid = false;
  try {
    valid = verify(null, bytes, current, Buffer.from(r.signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? null : `its signature is not the signature of the key in force (${currentId})`;
}

/** One key of the log's history, as GET /public/v1/log/keys serves it. */
export interface LogKey {
  readonly keyId: string;
  /** SPKI PEM. */
  readonly publicKey: string;
  /** The first tree size whose head this key signs. */
  readonly fromTreeSize: number;
  /** The first tree size it no longer signs (the next key's `fromTreeSize`); null while in force. */
  readonly toTreeSize: number | null;
  /** Position of the rotation record announcing it; null for the first key. */
  readonly announcedAt: number | null;
}

/**
 * The key history the rotation records (in log order) describe, starting from `first` when the
 * log has none (then its first key is whatever signs it). No signature is checked here: that is
 * the verifier's job (verifyExport); this is how the server lists what its log says.
 */
export function keyHistory(
  rotations: readonly KeyRotationRecord[],
  first: { keyId: string; publicKey: string },
): LogKey[] {
  const start = rotations[0]?.rotation.previousKey ?? first;
  const keys: LogKey[] = [
    { keyId: start.keyId, publicKey: start.publicKey, fromTreeSize: 0, toTreeSize: null, announcedAt: null },
  ];
  for (const r of rotations) {
    const last = keys[keys.length - 1] as LogKey;
    keys[keys.length - 1] = { ...last, toTreeSize: r.rotation.fromTreeSize };
    keys.push({
      keyId: r.rotation.nextKey.keyId,
      publicKey: r.rotation.nextKey.publicKey,
      fromTreeSize: r.rotation.fromTreeSize,
      toTreeSize: null,
      announcedAt: r.seq,
    });
  }
  return keys;
}

/**
 * This process cannot sign the log's next head: the log is signed by a key it does not hold (a
 * rotation it has not been given the key of, or a key configured before its rotation). Retrying
 * helps once the process gets the key; nothing is appended meanwhile.
 */
export class LogKeyUnavailableError extends Error {
  override readonly name = 'LogKeyUnavailableError';
  constructor(
    readonly required: string,
    readonly held: readonly string[],
  ) {
    super(
      `this process cannot sign the disclosure log: its heads are now signed by key ${required}, ` +
        `and this process holds only ${held.join(', ') || 'no key'}. Give it the log's current key ` +
        '(LOG_SIGNING_KEY, or LOG_SIGNING_KEY_NEXT during a rotation) and restart it; the work waits meanwhile.',
    );
  }
}

/**
 * The private keys one process holds, by id; it signs a head only with the key the log says is
 * in force (the key of the last head), never with another it happens to hold.
 */
export class LogSigner {
  private readonly keys: ReadonlyMap<string, KeyObject>;

  /** `keys[0]` is the key an empty log starts with. */
  constructor(private readonly ordered: readonly KeyObject[]) {
    this.keys = new Map(ordered.map((k) => [keyId(createPublicKey(k)), k]));
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** The private key with id `id`, when this process holds it. */
  key(id: string): KeyObject | undefined {
    return this.keys.get(id);
  }

  /** The key to sign with after a head by `currentKeyId` (null: an empty log), or why not. */
  keyFor(currentKeyId: string | null): KeyObject {
    const key = currentKeyId === null ? this.ordered[0] : this.keys.get(currentKeyId);
    if (!key) throw new LogKeyUnavailableError(currentKeyId ?? '(any)', this.keyIds);
    return key;
  }

  sign(
    head: { treeSize: number; rootHash: string; timestamp: string },
    currentKeyId: string | null,
  ): SignedTreeHead {
    return signTreeHead(head, this.keyFor(currentKeyId));
  }
}

/** How a problem names a rotation record. */
export const keyRotationProblemName = (record: KeyRotationRecord) =>
  `the key rotation record at position ${record.seq} (id ${record.id})`;

/**
 * The signer of a process from its configuration: LOG_SIGNING_KEY first (an empty log starts with
 * it), then LOG_SIGNING_KEY_NEXT during a rotation; undefined when none is set.
 */
export function logSignerOf(disclosure: {
  signingKey: string | undefined;
  nextSigningKey?: string | undefined;
}): LogSigner | undefined {
  const keys = [disclosure.signingKey, disclosure.nextSigningKey].filter((k): k is string => !!k);
  return keys.length > 0 ? new LogSigner(keys.map(parsePrivateKey)) : undefined;
}

/**
 * Where a deployment keeps the log's private keys when something other than its configuration
 * holds them (`npm start`: the data dir's secrets.json). A rotation stages the next key before
 * the log names it, so a crash can never leave the log signed over to a key nobody kept.
 */
export interface LogKeyStore {
  /** Every private key (PKCS#8 PEM) the store holds: current, staged next and retired. */
  keys(): string[];
  /** The next key staged by a rotation that has not finished, if any. */
  staged(): string | undefined;
  /** Keeps `next` durably as the staged next key. */
  stage(next: string): void;
  /** The log now names `next`: it becomes the current key, and `previous` is kept as retired. */
  promote(next: string, previous: string): void;
}
