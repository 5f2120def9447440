/**
 * Issue 17: the log signing key rotated twice on a running `npm start` while reports are being
 * decided — first to a key every process already holds (LOG_SIGNING_KEY_NEXT: no pause), then to
 * a key generated into the data dir's secrets.json that the running processes do not hold: they
 * must not sign past the rotation, the work waits (readiness says why) and is published once
 * OpenCCS restarts with the new key. The whole log then verifies with the shipped verifier
 * (live URL and export), and a tampered rotation record in an export is caught and named.
 */
import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { keyId, type KeyRotationRecord, type LogExport, type LogKey } from '@openccs/disclosure';
import { localLogKeyStore } from '@openccs/devstack';
import { createDataSource, rotateLogKey } from '@openccs/persistence';
import { chromium } from 'playwright-core';
import { resolveChromium } from '../support/chromium';
import { http } from '../support/http';
import { groupAlive, launch, launcherEnv, waitFor, type Running } from '../support/launcher';

const run = promisify(execFile);
const VERIFIER = join(__dirname, '../../dist/apps/verifier/src/main.js');
const ADMIN = join(__dirname, '../../dist/apps/admin/src/main.js');

describe('rotating the log signing key under load', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let running: Running | undefined;
  let ds: DataSource | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'openccs-keys-'));
    ({ env, base } = await launcherEnv(dataDir));
  });

  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  async function stop(): Promise<void> {
    const pid = running?.child.pid;
    if (pid && groupAlive(pid)) {
      process.kill(-pid, 'SIGINT');
      await waitFor('OpenCCS to stop', () => !groupAlive(pid), 45_000).catch(() =>
        process.kill(-pid, 'SIGKILL'),
      );
    }
  }

  const secrets = () =>
    JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
      logSigningKey: string;
      nextLogSigningKey?: string;
      retiredLogSigningKeys?: string[];
      postgresPassword: string;
    };
  const idOfPem = (pem: string) => keyId(createPublicKey(pem));
  const records = async () =>
    (
      await http<{ items: Array<{ seq: number; type?: string; report?: { id: string } }> }>(
        'GET',
        '/public/v1/records?limit=1000',
        { base },
      )
    ).body.items;

  it('rotates twice while reports are decided; the log verifies from the first key', async () => {
    const next = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    // First start: the key in force comes from secrets.json, the next one from the configuration.
    running = await launch({ ...env, LOG_SIGNING_KEY_NEXT: next }, base);
    const password = /Demo users .*Password: (\S+)/.exec(running.output())?.[1] ?? '';
    const login = async (username: string) =>
      (
        await http<{ accessToken: string }>('POST', '/api/v1/auth/token', {
          base,
          body: { username, password },
        })
      ).body.accessToken;
    const [contractor, supervisor] = [await login('demo.contractor'), await login('demo.supervisor')];
    const projects = await http<{ items: Array<{ id: string; code: string }> }>('GET', '/api/v1/projects', {
      base,
      token: contractor,
    });
    const projectId = projects.body.items.find((p) => p.code === 'SEOUL-2026-0001')?.id ?? '';
    const first = secrets().logSigningKey;

    /** Submits an inspection request and has it approved: one public record (its one step). */
    const decideOne = async (i: number) => {
      const report = await http<{ id: string }>('POST', `/api/v1/projects/${projectId}/reports`, {
        base,
        token: contractor,
        body: { kind: 'inspection_request', title: `Pier ${i} rebar`, body: { inspectionType: 'rebar' } },
      });
      expect([report.status, report.body]).toEqual([201, expect.anything()]);
      const decided = await http<{ status: string }>('POST', `/api/v1/reports/${report.body.id}/decisions`, {
        base,
        token: supervisor,
        body: { action: 'approve' },
      });
      // While the log cannot be signed the answer may be a 503 (the decision's announcement, its
      // record, waits past the API's deadline), but the decision itself is stored.
      expect([200, 503]).toContain(decided.status);
      const stored = await http<{ status: string }>('GET', `/api/v1/reports/${report.body.id}`, {
        base,
        token: supervisor,
      });
      expect(stored.body.status).toBe('approved');
      return report.body.id;
    };
    const decided: string[] = [];
    let deciding = true;
    const load = (async () => {
      for (let i = 0; deciding; i++) decided.push(await decideOne(i));
    })();

    ds = await createDataSource(
      `postgres://openccs:${encodeURIComponent(secrets().postgresPassword)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/openccs`,
      'openccs-key-rotation-test',
    ).initialize();
    const store = localLogKeyStore(dataDir);
    await waitFor('some reports decided and published', async () => (await records()).length >= 4, 60_000);

    // Rotation 1: to the key every process already holds; the log goes on without a pause.
    const one = await rotateLogKey(
      ds,
      { disclosure: { signingKey: undefined, nextSigningKey: next } },
      { store },
    );
    expect(one).toMatchObject({ keyId: idOfPem(next), previousKeyId: idOfPem(first), appended: true });
    expect(secrets()).toMatchObject({ logSigningKey: next, retiredLogSigningKeys: [first] });
    expect(secrets().nextLogSigningKey).toBeUndefined();
    // Run again (an operator retrying after a crash): the same rotation, not a second one.
    expect(
      await rotateLogKey(ds, { disclosure: { signingKey: undefined, nextSigningKey: next } }, { store }),
    ).toMatchObject({ keyId: one.keyId, fromTreeSize: one.fromTreeSize, appended: false });
    await waitFor(
      'records signed by the next key',
      async () => (await records()).length >= one.fromTreeSize + 4,
      60_000,
    );

    // Rotation 2: to a key generated into secrets.json, which the running processes do not hold.
    // Through the admin command line, as an operator would: `npm run admin -- rotate-log-key`.
    const rotated = await run('node', [ADMIN, 'rotate-log-key'], { env });
    const two = JSON.parse(rotated.stdout) as {
      keyId: string;
      previousKeyId: string;
      fromTreeSize: number;
      announcedAt: number;
    };
    const audited = (await ds.query(
      `SELECT actor_user_id, details FROM audit_events WHERE action = 'log.key_rotate' AND subject_id = $1`,
      [two.keyId],
    )) as Array<{ actor_user_id: string | null; details: { operator?: string } }>;
    expect(audited).toEqual([
      { actor_user_id: null, details: expect.objectContaining({ operator: expect.stringMatching(/^cli:/) }) },
    ]);
    expect(two.previousKeyId).toBe(one.keyId);
    const third = secrets().logSigningKey;
    expect(idOfPem(third)).toBe(two.keyId);
    expect(secrets().retiredLogSigningKeys).toEqual([first, next]);
    deciding = false;
    await load;
    const waiting = [await decideOne(1000), await decideOne(1001)];
    decided.push(...waiting);

    // Nothing is signed past the rotation by a process without the key: the work waits, and
    // readiness says why.
    await waitFor(
      'readiness to name the missing key',
      async () => {
        const ready = await http<{ detail?: string }>('GET', '/health/ready', { base });
        return ready.status === 503 && (ready.body.detail ?? '').includes(`now signed by key ${two.keyId}`);
      },
      30_000,
    );
    const stalled = await records();
    expect(stalled.length).toBe(two.fromTreeSize);
    expect(stalled.filter((r) => waiting.includes(r.report?.id ?? ''))).toHaveLength(0);

    // Restart: the launcher gives every process the key in force from secrets.json; what waited is published.
    await ds.destroy();
    ds = undefined;
    await stop();
    // Not "ready": the reports whose publication waited past STUCK_AFTER_ATTEMPTS are listed as stuck
    // (readiness degraded) until their next retry, on its backoff, publishes them.
    running = await launch(env, base, false);
    await waitFor(
      'OpenCCS to serve again',
      async () => (await http('GET', '/health/live', { base }).catch(() => ({ status: 0 }))).status === 200,
      60_000,
    );
    await waitFor(
      'every decided report published (one record each)',
      async () => {
        const all = await records();
        return decided.every((id) => all.filter((r) => r.report?.id === id).length === 1);
      },
      150_000,
    );
    const all = await records();
    expect(all.filter((r) => r.type === 'key_rotation').map((r) => r.seq)).toEqual([
      one.announcedAt,
      two.announcedAt,
    ]);
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i));

    const keys = await http<{ items: LogKey[] }>('GET', '/public/v1/log/keys', { base });
    expect(keys.headers.get('cache-control')).toContain('public');
    expect(keys.body.items.map((k) => [k.keyId, k.fromTreeSize, k.toTreeSize, k.announcedAt])).toEqual([
      [idOfPem(first), 0, one.fromTreeSize, null],
      [one.keyId, one.fromTreeSize, two.fromTreeSize, one.announcedAt],
      [two.keyId, two.fromTreeSize, null, two.announcedAt],
    ]);

    // The portal shows a rotation record as the log changing keys.
    const page = await fetch(`${base}/records/${two.announcedAt}?lang=en`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`signed by key ${two.keyId}`);

    // The in-browser check of a record before the rotations, and of one after both: the head's
    // key is followed from the first key through the rotation records. A rotation record served
    // with another next key (a server lying about it) makes the check fail.
    const { executablePath, args } = resolveChromium();
    const browser = await chromium.launch({ executablePath, args: [...args] });
    try {
      const page = await (await browser.newContext()).newPage();
      const check = async (seq: number) => {
        await page.goto(`${base}/records/${seq}?lang=en`);
        await page.click('#verify');
        await page.waitForFunction(
          () => document.getElementById('verify-result')?.dataset.verified !== undefined,
        );
        return page.$eval('#verify-result', (e) => (e as HTMLElement).dataset.verified);
      };
      const latest = all[all.length - 1]?.seq ?? 0;
      expect(await check(0)).toBe('true');
      expect(await check(latest)).toBe('true');
      await page.route(`**/public/v1/records?after=${two.announcedAt - 1}&limit=1`, async (route) => {
        const body = (await (await route.fetch()).json()) as { items: KeyRotationRecord[] };
        const forged = generateKeyPairSync('ed25519').publicKey;
        const [rotation] = body.items;
        if (rotation)
          body.items = [
            {
              ...rotation,
              rotation: {
                ...rotation.rotation,
                nextKey: {
                  keyId: keyId(forged),
                  publicKey: forged.export({ type: 'spki', format: 'pem' }).toString(),
                },
              },
            },
          ];
        await route.fulfill({ json: body });
      });
      expect(await check(latest)).toBe('false');
    } finally {
      await browser.close();
    }

    // The verifier, from the live site and from an export, with the first key pinned.
    const dir = mkdtempSync(join(tmpdir(), 'openccs-keys-verify-'));
    writeFileSync(join(dir, 'first.pem'), createPublicKey(first).export({ type: 'spki', format: 'pem' }));
    const live = await run(process.execPath, [VERIFIER, '--url', base, '--key', join(dir, 'first.pem')]);
    expect(live.stdout).toMatch(/^OK: \d+ records/);
    expect(live.stdout).toContain(`key ${one.keyId} from tree size ${one.fromTreeSize}`);
    expect(live.stdout).toContain(`key ${two.keyId} from tree size ${two.fromTreeSize}`);
    const exported = (await http<LogExport>('GET', '/public/v1/export/records.json', { base })).body;
    writeFileSync(join(dir, 'records.json'), JSON.stringify(exported));
    expect((await run(process.execPath, [VERIFIER, '--file', join(dir, 'records.json')])).stdout).toMatch(
      /^OK: /,
    );

    // A rotation record whose next key was swapped for another: caught at its position, named.
    const forger = generateKeyPairSync('ed25519').publicKey;
    const tampered = structuredClone(exported) as unknown as {
      entries: Array<{ record: KeyRotationRecord }>;
    };
    const target = tampered.entries[two.announcedAt]?.record as { rotation: KeyRotationRecord['rotation'] };
    target.rotation = {
      ...target.rotation,
      nextKey: { keyId: keyId(forger), publicKey: forger.export({ type: 'spki', format: 'pem' }).toString() },
    };
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const caught = await run(process.execPath, [VERIFIER, '--file', join(dir, 'tampered.json')]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(caught?.code).toBe(1);
    expect(caught?.stdout).toContain(`the key rotation record at position ${two.announcedAt}`);
    expect(caught?.stdout).toContain(`first bad record: position ${two.announcedAt}`);
    rmSync(dir, { recursive: true, force: true });
  }, 480_000);
});
