/**
 * The proof of work that anonymous feedback carries instead of an account or a third-party
 * CAPTCHA: the ALTCHA scheme, version 1 (https://altcha.org/docs/proof-of-work), with its field
 * names, so that the ALTCHA widget could solve our challenges as well as our own script does.
 *
 *   salt      = hex(12 random bytes) + "?expires=" + unix seconds + "&"
 *   challenge = hex(SHA-256(salt + secret number)),  secret number uniform in 0..maxnumber
 *   signature = hex(HMAC-SHA-256(key, challenge))
 *
 * The browser tries n = 0, 1, 2, … until SHA-256(salt + n) equals the challenge: maxNumber / 2
 * hashes on average, maxNumber + 1 at worst. The server checks one HMAC and one hash.
 *
 * What this module does not do: remember which challenges were spent. A solution stays valid
 * until its expiry, so the caller must record `challenge` (in PostgreSQL, unique, until
 * `expiresAt`) and refuse it the second time; that is what makes a solution single-use.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export interface Challenge {
  algorithm: 'SHA-256';
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

export interface ChallengeOptions {
  hmacKey: string;
  /** The largest secret number: the expected work is maxNumber / 2 SHA-256 hashes. */
  maxNumber: number;
  expiresInSeconds: number;
  now?: Date;
}

/** Why a payload was refused: codes, so callers and tests match them, never the wording. */
export type Refusal =
  | 'payload-not-decodable'
  | 'payload-malformed'
  | 'algorithm-unsupported'
  | 'signature-invalid'
  | 'solution-wrong'
  | 'expired';

export type Verification = { ok: true; challenge: string; expiresAt: Date } | { ok: false; reason: Refusal };

// Beyond ten million the slowest phones would need minutes; below one there is no work at all.
export const MAX_NUMBER_LIMIT = 10_000_000;
// A day: long enough for anyone to finish a form, short enough to keep the spent-challenge table small.
export const EXPIRES_IN_LIMIT_SECONDS = 86_400;
// Our payload is at most about 360 base64 characters, the widget's `took` included.
const PAYLOAD_LIMIT = 1024;

const SALT_BYTES = 12;
const PAYLOAD_KEYS = ['algorithm', 'challenge', 'number', 'salt', 'signature'] as const;
// The ALTCHA widget adds how long solving took; tolerated, never trusted.
const OPTIONAL_KEYS = ['took'] as const;
// The trailing "&" ends the salt's parameters, so digits of the number cannot extend `expires`.
const SALT = /^[0-9a-f]{24}\?expires=(\d{1,12})&$/;
const HEX_256 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmacHex = (key: string, text: string): string =>
  createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** Constant-time equality of two 256-bit hex digests (both already checked to be 64 hex digits). */
const sameDigest = (a: string, b: string): boolean =>
  timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
}

/** A fresh challenge. Throws on options no deployment should run with: they are configuration. */
export function createChallenge(options: ChallengeOptions): Challenge {
  const { hmacKey, maxNumber, expiresInSeconds, now = new Date() } = options;
  if (hmacKey === '') throw new RangeError('hmacKey must not be empty');
  requireInteger('maxNumber', maxNumber, 1, MAX_NUMBER_LIMIT);
  requireInteger('expiresInSeconds', expiresInSeconds, 1, EXPIRES_IN_LIMIT_SECONDS);
  const expires = unixSeconds(now) + expiresInSeconds;
  const salt = `${randomBytes(SALT_BYTES).toString('hex')}?expires=${expires}&`;
  const challenge = sha256Hex(salt + randomInt(0, maxNumber + 1));
  return {
    algorithm: 'SHA-256',
    challenge,
    maxnumber: maxNumber,
    salt,
    signature: hmacHex(hmacKey, challenge),
  };
}

/** The payload as an object: the widget and our script send base64 JSON, tests may pass the object. */
function decode(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  if (payload.length === 0 || payload.length > PAYLOAD_LIMIT || payload.length % 4 !== 0) return undefined;
  if (!BASE64.test(payload)) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

interface Payload {
  algorithm: string;
  challenge: string;
  number: number;
  salt: string;
  signature: string;
  expires: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isHex256 = (v: unknown): v is string => typeof v === 'string' && v.length === 64 && HEX_256.test(v);
const isCount = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
const hasExactlyTheFields = (v: Record<string, unknown>): boolean => {
  const keys = Object.keys(v);
  const known: readonly string[] = [...PAYLOAD_KEYS, ...OPTIONAL_KEYS];
  return PAYLOAD_KEYS.every((k) => keys.includes(k)) && keys.every((k) => known.includes(k));
};

/** Exactly the ALTCHA fields, each of the type and size we issue, or undefined. */
function parse(value: unknown): Payload | undefined {
  if (!isRecord(value) || !hasExactlyTheFields(value)) return undefined;
  const { algorithm, challenge, number, salt, signature, took } = value;
  if (took !== undefined && !(typeof took === 'number' && Number.isFinite(took) && took >= 0))
    return undefined;
  if (typeof algorithm !== 'string' || algorithm.length > 16) return undefined;
  if (!isHex256(challenge) || !isHex256(signature) || !isCount(number, MAX_NUMBER_LIMIT)) return undefined;
  if (typeof salt !== 'string' || salt.length > 64) return undefined;
  const expires = SALT.exec(salt)?.[1];
  if (expires === undefined) return undefined;
  return { algorithm, challenge, number, salt, signature, expires: Number(expires) };
}

/**
 * Whether a payload solves a challenge this key signed and that has not expired. Never throws:
 * whatever arrives from the request body gets a reason. Spent challenges are the caller's to refuse.
 */
export function verifySolution(payload: unknown, options: { hmacKey: string; now?: Date }): Verification {
  const { hmacKey, now = new Date() } = options;
  const decoded = decode(payload);
  if (decoded === undefined) return { ok: false, reason: 'payload-not-decodable' };
  const p = parse(decoded);
  if (!p) return { ok: false, reason: 'payload-malformed' };
  if (p.algorithm !== 'SHA-256') return { ok: false, reason: 'algorithm-unsupported' };
  if (!sameDigest(hmacHex(hmacKey, p.challenge), p.signature))
    return { ok: false, reason: 'signature-invalid' };
  // The hash binds salt and number to the signed challenge; only after it is the expiry in the salt ours.
  if (!sameDigest(sha256Hex(p.salt + p.number), p.challenge)) return { ok: false, reason: 'solution-wrong' };
  if (p.expires <= unixSeconds(now)) return { ok: false, reason: 'expired' };
  return { ok: true, challenge: p.challenge, expiresAt: new Date(p.expires * 1000) };
}

/** The client's search, done here for tests and the benchmark: the number, or null if out of range. */
export function solveChallenge(challenge: Challenge): number | null {
  for (let n = 0; n <= challenge.maxnumber; n++) {
    if (sha256Hex(challenge.salt + n) === challenge.challenge) return n;
  }
  return null;
}
