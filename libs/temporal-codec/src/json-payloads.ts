/**
 * Payloads in the JSON form of Temporal's remote codec protocol (proto3 JSON: metadata values and
 * data in base64), as the Temporal UI and CLI send them to a codec server. Reading is strict: a
 * request that is not that shape is refused with a message naming what is wrong.
 */
import type { Payload } from '@temporalio/common';

export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class JsonPayloadError extends Error {}

function bytes(value: unknown, where: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value) || value.length % 4 !== 0)
    throw new JsonPayloadError(`${where} must be a base64 string`);
  return Buffer.from(value, 'base64');
}

/** `{ payloads: [...] }` → payloads; throws JsonPayloadError naming the first bad field. */
export function payloadsFromJson(body: unknown, maxPayloads: number): Payload[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new JsonPayloadError('the body must be {"payloads": [...]}');
  // proto3 JSON leaves an empty list out: the temporal CLI sends `{}` for no payloads.
  const list = (body as { payloads?: unknown }).payloads ?? [];
  if (!Array.isArray(list)) throw new JsonPayloadError('the body must be {"payloads": [...]}');
  if (list.length > maxPayloads) throw new JsonPayloadError(`at most ${maxPayloads} payloads per request`);
  return list.map((item: unknown, i) => {
    const where = `payloads[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new JsonPayloadError(`${where} must be an object`);
    const { metadata, data, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new JsonPayloadError(`${where}.${unknown[0]} is not a payload field`);
    if (
      metadata !== undefined &&
      (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    )
      throw new JsonPayloadError(`${where}.metadata must be an object`);
    return {
      metadata: Object.fromEntries(
        Object.entries((metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          bytes(v, `${where}.metadata.${k}`),
        ]),
      ),
      data: data === undefined || data === null ? new Uint8Array() : bytes(data, `${where}.data`),
    };
  });
}

export function payloadsToJson(payloads: readonly Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [
          k,
          Buffer.from(v ?? new Uint8Array()).toString('base64'),
        ]),
      ),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}
