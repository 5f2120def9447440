/**
 * Secrets `npm start` needs but a newcomer should not have to invent: generated on the first
 * start and kept (mode 0600) under the data dir, so a restart keeps tokens and the database valid.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPayloadKeys } from '@openccs/config';
import type { LogKeyStore } from '@openccs/disclosure';

export interface LocalSecrets {
  readonly jwtSecret: string;
  readonly postgresPassword: string;
  /** Ed25519 private key (PKCS#8 PEM) signing the public log: the key in force. */
  readonly logSigningKey: string;
  /** The next key, while a rotation stages it (`npm run admin -- rotate-log-key`). */
  readonly nextLogSigningKey?: string;
  /** Keys the log no longer signs with, kept: the history of who could sign what. */
  readonly retiredLogSigningKeys?: readonly string[];
  /** Key material of citizens' contacts and feedback challenges. */
  readonly feedbackSecret: string;
  /** TEMPORAL_PAYLOAD_KEYS: the key encrypting what is stored in Temporal. */
  readonly temporalPayloadKeys: string;
}

function newLogSigningKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const path = join(dataDir, 'secrets.json');
  if (existsSync(path)) {
    const kept = JSON.parse(readFileSync(path, 'utf8')) as Partial<LocalSecrets> &
      Omit<LocalSecrets, 'logSigningKey' | 'feedbackSecret' | 'temporalPayloadKeys'>;
    if (kept.logSigningKey && kept.feedbackSecret && kept.temporalPayloadKeys) return kept as LocalSecrets;
    // A data dir from before the public log, citizen feedback or payload encryption: add what it
    // lacks, keep the rest (histories written before the key replay unchanged).
    const upgraded = {
      ...kept,
      logSigningKey: kept.logSigningKey ?? newLogSigningKey(),
      feedbackSecret: kept.feedbackSecret ?? randomBytes(48).toString('base64url'),
      temporalPayloadKeys: kept.temporalPayloadKeys ?? newPayloadKeys(),
    };
    writeFileSync(path, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  const secrets: LocalSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    postgresPassword: randomBytes(24).toString('base64url'),
    logSigningKey: newLogSigningKey(),
    feedbackSecret: randomBytes(48).toString('base64url'),
    temporalPayloadKeys: newPayloadKeys(),
  };
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * The log's keys as `npm start` keeps them, in the data dir's secrets.json, for rotateLogKey
 * (libs/persistence): the staged next key, then the key in force, with every retired key kept.
 * Each change replaces the file whole (write, then rename), so a crash leaves the old or the new.
 */
export function localLogKeyStore(dataDir: string): LogKeyStore {
  const path = join(dataDir, 'secrets.json');
  const read = () => loadOrCreateLocalSecrets(dataDir);
  const write = (secrets: LocalSecrets) => {
    writeFileSync(`${path}.tmp`, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  };
  return {
    keys: () => {
      const s = read();
      return [
        s.logSigningKey,
        ...(s.nextLogSigningKey ? [s.nextLogSigningKey] : []),
        ...(s.retiredLogSigningKeys ?? []),
      ];
    },
    staged: () => read().nextLogSigningKey,
    stage: (next) => write({ ...read(), nextLogSigningKey: next }),
    promote: (next, previous) => {
      const { nextLogSigningKey: _staged, ...s } = read();
      const retired = [...(s.retiredLogSigningKeys ?? []), s.logSigningKey, previous].filter(
        (k, i, all) => k !== next && all.indexOf(k) === i,
      );
      write({ ...s, logSigningKey: next, retiredLogSigningKeys: retired });
    },
  };
}
