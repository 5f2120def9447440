import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import {
  type Challenge,
  createChallenge,
  EXPIRES_IN_LIMIT_SECONDS,
  MAX_NUMBER_LIMIT,
  solveChallenge,
  verifySolution,
} from './proof-of-work';

const KEY = 'test-hmac-key-with-enough-entropy';
const NOW = new Date('2026-03-01T12:00:00Z');
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

function solved(maxNumber = 5_000): { challenge: Challenge; payload: Record<string, unknown> } {
  const challenge = createChallenge({ hmacKey: KEY, maxNumber, expiresInSeconds: 300, now: NOW });
  const number = solveChallenge(challenge);
  if (number === null) throw new Error('a fresh challenge must be solvable');
  const { algorithm, challenge: hash, salt, signature } = challenge;
  return { challenge, payload: { algorithm, challenge: hash, number, salt, signature } };
}

const verify = (payload: unknown, now = NOW) => verifySolution(payload, { hmacKey: KEY, now });

describe('proof of work', () => {
  it('issues an ALTCHA challenge whose salt carries its expiry', () => {
    const c = createChallenge({ hmacKey: KEY, maxNumber: 1000, expiresInSeconds: 300, now: NOW });
    expect(c).toEqual({
      algorithm: 'SHA-256',
      challenge: expect.stringMatching(/^[0-9a-f]{64}$/),
      maxnumber: 1000,
      salt: expect.stringMatching(/^[0-9a-f]{24}\?expires=\d+&$/),
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(c.salt).toContain(`?expires=${NOW.getTime() / 1000 + 300}&`);
  });

  it('accepts its own solution, as an object or as base64 JSON, and names the challenge to spend', () => {
    const { challenge, payload } = solved();
    const expected = {
      ok: true,
      challenge: challenge.challenge,
      expiresAt: new Date(NOW.getTime() + 300_000),
    };
    expect(verify(payload)).toEqual(expected);
    expect(verify(base64(JSON.stringify(payload)))).toEqual(expected);
  });

  it("accepts the ALTCHA widget's extra `took` field", () => {
    const { payload } = solved();
    expect(verify({ ...payload, took: 1234 }).ok).toBe(true);
    expect(verify({ ...payload, took: 'fast' })).toEqual({ ok: false, reason: 'payload-malformed' });
  });

  it('finds a number within 0..maxnumber, and none when the secret lies beyond it', () => {
    const { payload } = solved(100);
    expect(payload.number).toBeGreaterThanOrEqual(0);
    expect(payload.number).toBeLessThanOrEqual(100);
    const salt = `${'ab'.repeat(12)}?expires=9999999999&`;
    const beyond: Challenge = {
      algorithm: 'SHA-256',
      challenge: sha256Hex(salt + 11),
      maxnumber: 10,
      salt,
      signature: '0'.repeat(64),
    };
    expect(solveChallenge(beyond)).toBeNull();
    expect(solveChallenge({ ...beyond, maxnumber: 11 })).toBe(11);
  });

  describe('refuses a tampered payload', () => {
    const { payload } = solved();
    const salt = payload.salt as string;
    it.each<[string, Record<string, unknown>, string]>([
      ['another number', { number: (payload.number as number) + 1 }, 'solution-wrong'],
      ['another salt', { salt: `${'0'.repeat(24)}${salt.slice(24)}` }, 'solution-wrong'],
      ['a later expiry', { salt: salt.replace(/expires=\d+/, 'expires=9999999999') }, 'solution-wrong'],
      ['another signature', { signature: 'f'.repeat(64) }, 'signature-invalid'],
      ['a challenge it did not sign', { challenge: sha256Hex(`${salt}0`) }, 'signature-invalid'],
      ['another algorithm', { algorithm: 'SHA-1' }, 'algorithm-unsupported'],
      ['a differently written algorithm', { algorithm: 'sha-256' }, 'algorithm-unsupported'],
    ])('%s', (_name, change, reason) => {
      expect(verify({ ...payload, ...change })).toEqual({ ok: false, reason });
    });

    it('signed with another key', () => {
      expect(verifySolution(payload, { hmacKey: 'another-key', now: NOW })).toEqual({
        ok: false,
        reason: 'signature-invalid',
      });
    });
  });

  it('refuses a solution from its expiry on', () => {
    const { payload } = solved();
    expect(verify(payload, new Date(NOW.getTime() + 299_000)).ok).toBe(true);
    expect(verify(payload, new Date(NOW.getTime() + 300_000))).toEqual({ ok: false, reason: 'expired' });
    expect(verify(payload, new Date(NOW.getTime() + 86_400_000))).toEqual({ ok: false, reason: 'expired' });
  });

  describe('refuses garbage with a reason and never throws', () => {
    const { payload } = solved();
    const { number: _n, ...withoutNumber } = payload;
    const huge = 'A'.repeat(10_000_000);
    it.each<[string, unknown]>([
      ['null', null],
      ['undefined', undefined],
      ['a number', 42],
      ['a boolean', true],
      ['an array', [payload]],
      ['an empty string', ''],
      ['text that is not base64', 'not base64'],
      ['base64 of text that is not JSON', base64('hello, world')],
      ['base64 of JSON null', base64('null')],
      ['base64 of a JSON array', base64('[1,2,3]')],
      ['base64 of a JSON string', base64('"x"')],
      ['base64 of truncated JSON', base64(JSON.stringify(payload)).slice(0, 40)],
      ['a huge string', huge],
      ['base64 of a huge JSON', base64(JSON.stringify({ ...payload, salt: huge }))],
      ['an extra field', { ...payload, admin: true }],
      ['a __proto__ field', JSON.parse(`{"__proto__": 1, ${JSON.stringify(payload).slice(1)}`)],
      ['a missing field', withoutNumber],
      ['the number as a string', { ...payload, number: String(payload.number) }],
      ['a negative number', { ...payload, number: -1 }],
      ['a fractional number', { ...payload, number: 1.5 }],
      ['a number beyond any challenge', { ...payload, number: MAX_NUMBER_LIMIT + 1 }],
      ['an upper-case challenge', { ...payload, challenge: (payload.challenge as string).toUpperCase() }],
      ['a short signature', { ...payload, signature: 'abc' }],
      ['a huge salt', { ...payload, salt: huge }],
      ['a salt without expiry', { ...payload, salt: (payload.salt as string).split('?')[0] }],
      ['a salt with more parameters', { ...payload, salt: `${payload.salt as string}x=1&` }],
      ['a nested object', { ...payload, salt: { toString: () => payload.salt } }],
      ['a huge algorithm name', { ...payload, algorithm: huge }],
    ])('%s', (_name, garbage) => {
      const result = verify(garbage);
      expect(result.ok).toBe(false);
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^[a-z-]+$/) });
    });
  });

  describe('refuses options no deployment should run with', () => {
    const options = { hmacKey: KEY, maxNumber: 1000, expiresInSeconds: 300 };
    it.each([0, -1, 1.5, Number.NaN, Infinity, MAX_NUMBER_LIMIT + 1])('maxNumber %p', (maxNumber) => {
      expect(() => createChallenge({ ...options, maxNumber })).toThrow(RangeError);
    });
    it.each([0, -5, 2.5, EXPIRES_IN_LIMIT_SECONDS + 1])('expiresInSeconds %p', (expiresInSeconds) => {
      expect(() => createChallenge({ ...options, expiresInSeconds })).toThrow(RangeError);
    });
    it('an empty key', () => {
      expect(() => createChallenge({ ...options, hmacKey: '' })).toThrow(RangeError);
    });
    it('but accepts the bounds themselves', () => {
      expect(createChallenge({ ...options, maxNumber: MAX_NUMBER_LIMIT }).maxnumber).toBe(MAX_NUMBER_LIMIT);
      const { payload } = solved(1);
      expect([0, 1]).toContain(payload.number);
      expect(verify(payload).ok).toBe(true);
    });
  });
});

describe('the browser script (portal/assets/feedback-pow.js)', () => {
  const source = readFileSync(join(__dirname, '../portal/assets/feedback-pow.js'), 'utf8');

  /** The script in a page of its own: Node's Web Crypto stands in for the browser's. */
  function page(forms: unknown[] = [], fetchChallenge?: () => Promise<unknown>) {
    const window: Record<string, unknown> = { addEventListener: () => undefined };
    const document = {
      readyState: 'complete',
      querySelectorAll: () => forms,
      addEventListener: () => undefined,
    };
    const fetch = async () => ({ ok: true, status: 200, json: fetchChallenge });
    runInNewContext(source, {
      window,
      document,
      fetch,
      crypto: globalThis.crypto,
      TextEncoder,
      setTimeout,
      btoa,
      console: { warn: () => undefined },
    });
    return window.openccsSolve as (c: Challenge) => Promise<number>;
  }

  it('solves a challenge with the number the server expects', async () => {
    const challenge = createChallenge({ hmacKey: KEY, maxNumber: 3_000, expiresInSeconds: 300, now: NOW });
    await expect(page()(challenge)).resolves.toBe(solveChallenge(challenge));
  });

  it('rejects a challenge it cannot solve', async () => {
    const challenge = createChallenge({ hmacKey: KEY, maxNumber: 3_000, expiresInSeconds: 300, now: NOW });
    await expect(page()({ ...challenge, challenge: '0'.repeat(64) })).rejects.toThrow('no solution');
    await expect(page()({ ...challenge, algorithm: 'SHA-1' as 'SHA-256' })).rejects.toThrow('unsupported');
  });

  it('fills the hidden field with a payload the server accepts, then submits the form', async () => {
    const challenge = createChallenge({ hmacKey: KEY, maxNumber: 2_000, expiresInSeconds: 300, now: NOW });
    const field = { value: '' };
    const status = { textContent: '', dataset: { solving: 'Solving…', sending: 'Sending…' } };
    let onSubmit: ((event: unknown) => Promise<void>) | undefined;
    let submitted!: () => void;
    const done = new Promise<void>((resolve) => (submitted = resolve));
    const form = {
      dataset: { challengeUrl: '/public/v1/feedback/challenge' },
      querySelector: (selector: string) => (selector.includes('altcha') ? field : status),
      addEventListener: (_type: string, handler: typeof onSubmit) => (onSubmit = handler),
      submit: submitted,
    };
    page([form], async () => challenge);
    const preventDefault = jest.fn();
    await onSubmit?.({ currentTarget: form, preventDefault });
    await done;
    expect(preventDefault).toHaveBeenCalled();
    expect(status.textContent).toBe('Sending…');
    expect(verify(field.value)).toEqual({
      ok: true,
      challenge: challenge.challenge,
      expiresAt: expect.any(Date),
    });
  });
});
