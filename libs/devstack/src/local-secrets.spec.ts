import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateLocalSecrets, localLogKeyStore } from './local-secrets';

const pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('localLogKeyStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'openccs-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stages the next key, then makes it current and keeps every retired key, the file private', () => {
    const first = loadOrCreateLocalSecrets(dir).logSigningKey;
    const store = localLogKeyStore(dir);
    const [second, third] = [pem(), pem()];
    store.stage(second);
    expect(store.staged()).toBe(second);
    expect(store.keys()).toEqual([first, second]);
    store.promote(second, first);
    expect(loadOrCreateLocalSecrets(dir)).toMatchObject({
      logSigningKey: second,
      retiredLogSigningKeys: [first],
    });
    expect(store.staged()).toBeUndefined();
    store.stage(third);
    store.promote(third, second);
    // Promoting twice (a re-run after a crash) changes nothing more.
    store.promote(third, second);
    const kept = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, unknown>;
    expect(kept).toMatchObject({ logSigningKey: third, retiredLogSigningKeys: [first, second] });
    expect(kept.nextLogSigningKey).toBeUndefined();
    expect(kept.jwtSecret).toEqual(expect.any(String));
    expect(statSync(join(dir, 'secrets.json')).mode & 0o077).toBe(0);
  });
});
