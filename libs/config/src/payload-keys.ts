/**
 * TEMPORAL_PAYLOAD_KEYS: the AES-256 keys that encrypt what OpenCCS sends through Temporal
 * (docs/operations.md, "Temporal payload encryption"). `id:base64,id:base64…`; the first
 * encrypts, every one decrypts, which is how a key is rotated.
 */
import { randomBytes } from 'node:crypto';

export interface PayloadKey {
  /** Written beside each payload it encrypts, so the right key is found when decrypting. */
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses and checks the variable's value; throws an error saying what is wrong, never the key. */
export function parsePayloadKeys(raw: string): readonly PayloadKey[] {
  const entries = raw.split(',').map((e) => e.trim());
  const keys: PayloadKey[] = [];
  entries.forEach((entry, i) => {
    const at = `entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`${at} must be id:base64-key (e.g. 2026-11:…32 bytes in base64…)`);
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!KEY_ID.test(id))
      throw new Error(`${at}: the key id must be 1 to 64 letters, digits, '.', '_' or '-'`);
    if (keys.some((k) => k.id === id)) throw new Error(`${at}: the key id '${id}' appears twice`);
    const key = Buffer.from(encoded, 'base64');
    // Buffer.from skips what is not base64; re-encoding shows whether every character counted.
    if (!BASE64.test(encoded) || key.toString('base64') !== encoded || key.length !== 32)
      throw new Error(
        `${at} (key id '${id}'): the key must be exactly 32 bytes in standard base64 (openssl rand -base64 32)`,
      );
    keys.push({ id, key });
  });
  return keys;
}

/** A new key in the variable's format, for `npm start` and the tests. */
export function newPayloadKeys(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
