/**
 * Encrypts every payload OpenCCS hands to Temporal (workflow inputs, update arguments and
 * results, signals, queries, failures' messages), so report bodies and comments never sit in
 * clear in Temporal's database or its UI. AES-256-GCM with a random 96-bit nonce per payload;
 * the key id travels in the payload's metadata so any key still configured can decrypt it.
 *
 * A payload without our encoding passes through unchanged on decode: histories written before
 * encryption was switched on replay and continue as they were.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from '@openccs/config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ENCODING_BYTES = Buffer.from(ENCRYPTED_ENCODING);

/** A payload that cannot be decrypted: a missing key or a payload altered in storage. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: PayloadKey;

  /** `keys[0]` encrypts; every key decrypts. */
  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (!current) throw new Error('the payload codec needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`payload key '${k.id}' must be 32 bytes`);
    this.current = current;
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id of the key new payloads are encrypted with. */
  get keyId(): string {
    return this.current.id;
  }

  // async: a codec's contract is a promise, and a payload it cannot open must reject it, not throw.
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decrypt(p));
  }

  /** True when `payload` carries our encoding (whether or not any key here can open it). */
  static isEncrypted(payload: Payload): boolean {
    const encoding = payload.metadata?.encoding;
    return encoding !== undefined && encoding !== null && ENCODING_BYTES.equals(encoding);
  }

  private encrypt(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, nonce);
    // The key id is authenticated too: a payload cannot be passed off as another key's.
    cipher.setAAD(Buffer.from(this.current.id));
    const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: ENCODING_BYTES, [KEY_ID_METADATA]: Buffer.from(this.current.id) },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    if (!AesGcmPayloadCodec.isEncrypted(payload)) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const id = idBytes ? Buffer.from(idBytes).toString('utf8') : '';
    const key = this.keys.get(id);
    if (!key)
      throw new PayloadDecryptionError(
        id
          ? `payload encrypted with key id '${id}', which TEMPORAL_PAYLOAD_KEYS does not hold (keep old keys until the histories using them are past retention)`
          : 'encrypted payload without an encryption-key-id',
      );
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < NONCE_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError(`encrypted payload (key id '${id}') is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `encrypted payload (key id '${id}') failed authentication: altered in storage, or the key under that id changed`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
