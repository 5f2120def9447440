import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { PayloadKey } from '@openccs/config';
import { payloadsFromJson, payloadsToJson } from './json-payloads';
import { AesGcmPayloadCodec, KEY_ID_METADATA, PayloadDecryptionError } from './payload-codec';

const key = (id: string): PayloadKey => ({ id, key: randomBytes(32) });
const BODY = { body: { note: 'Rebar spacing 150 mm at gridline C-7' }, comment: '콘크리트 균열' };
const plain = (): Payload => defaultPayloadConverter.toPayload(BODY);

describe('AesGcmPayloadCodec', () => {
  const k1 = key('2026-01');

  it('round-trips a payload, with nothing of it in clear and the key id beside it', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const [sealed] = await codec.encode([plain()]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed!.metadata![KEY_ID_METADATA]!).toString()).toBe('2026-01');
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('Rebar');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(BODY);
    expect(Buffer.from(opened!.metadata!.encoding!).toString()).toBe('json/plain');
  });

  it('uses a fresh nonce for every payload', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
  });

  it('passes a payload written before encryption through unchanged', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const old = plain();
    expect(await codec.decode([old])).toEqual([old]);
  });

  it('refuses a payload altered in storage, whichever byte changed', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const [sealed] = await codec.encode([plain()]);
    for (const at of [0, 12, sealed!.data!.length - 1]) {
      const data = Buffer.from(sealed!.data!);
      data[at] = data[at]! ^ 1;
      await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow(/failed authentication/);
    }
    // Passing it off as another key's is refused too: the key id is authenticated.
    const k2 = { id: 'other', key: k1.key };
    const relabelled = {
      ...sealed!,
      metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('other') },
    };
    await expect(new AesGcmPayloadCodec([k1, k2]).decode([relabelled])).rejects.toThrow(
      /failed authentication/,
    );
    await expect(codec.decode([{ ...sealed!, data: Buffer.alloc(10) }])).rejects.toThrow(/truncated/);
  });

  it('names a key id it does not hold', async () => {
    const [sealed] = await new AesGcmPayloadCodec([key('retired')]).encode([plain()]);
    const decoding = new AesGcmPayloadCodec([k1]).decode([sealed!]);
    await expect(decoding).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(new AesGcmPayloadCodec([k1]).decode([sealed!])).rejects.toThrow(
      /key id 'retired', which TEMPORAL_PAYLOAD_KEYS does not hold/,
    );
  });

  it('rotates: the new key encrypts, the old one still decrypts', async () => {
    const before = new AesGcmPayloadCodec([k1]);
    const [old] = await before.encode([plain()]);
    const k2 = key('2026-07');
    const after = new AesGcmPayloadCodec([k2, k1]);
    expect(after.keyId).toBe('2026-07');
    const [fresh] = await after.encode([plain()]);
    expect(Buffer.from(fresh!.metadata![KEY_ID_METADATA]!).toString()).toBe('2026-07');
    const opened = await after.decode([old!, fresh!]);
    expect(opened.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([BODY, BODY]);
    // A process that has not been given the new key yet cannot read what the new key wrote.
    await expect(before.decode([fresh!])).rejects.toThrow(/'2026-07'/);
  });

  it('refuses to be built without a key or with a key of the wrong size', () => {
    expect(() => new AesGcmPayloadCodec([])).toThrow(/at least one key/);
    expect(() => new AesGcmPayloadCodec([{ id: 'x', key: randomBytes(16) }])).toThrow(/32 bytes/);
  });
});

describe('the remote codec protocol’s JSON payloads', () => {
  it('round-trip through JSON', async () => {
    const codec = new AesGcmPayloadCodec([key('k')]);
    const sealed = await codec.encode([plain()]);
    const json = JSON.parse(JSON.stringify(payloadsToJson(sealed))) as unknown;
    const back = payloadsFromJson(json, 10);
    expect((await codec.decode(back)).map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([BODY]);
  });

  it('refuse what is not a list of payloads, naming the field', () => {
    expect(() => payloadsFromJson([], 10)).toThrow(/\{"payloads": \[\.\.\.\]\}/);
    expect(() => payloadsFromJson({ payloads: 'x' }, 10)).toThrow(/\{"payloads": \[\.\.\.\]\}/);
    // proto3 JSON (the temporal CLI) leaves an empty list out.
    expect(payloadsFromJson({}, 10)).toEqual([]);
    expect(() => payloadsFromJson({ payloads: [1] }, 10)).toThrow(/payloads\[0\] must be an object/);
    expect(() => payloadsFromJson({ payloads: [{ data: 'no base64!' }] }, 10)).toThrow(/payloads\[0\]\.data/);
    expect(() => payloadsFromJson({ payloads: [{ metadata: { encoding: 7 } }] }, 10)).toThrow(
      /payloads\[0\]\.metadata\.encoding/,
    );
    expect(() => payloadsFromJson({ payloads: [{ extra: 'x' }] }, 10)).toThrow(
      /extra is not a payload field/,
    );
    expect(() => payloadsFromJson({ payloads: [{}, {}, {}] }, 2)).toThrow(/at most 2/);
  });
});
