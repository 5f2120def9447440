/**
 * Backup and restore of `npm start` (docs/backup.md), with real processes: the system runs,
 * reports are decided with some left in flight, `npm run admin -- backup` takes a copy while it
 * is stopped, more decisions grow the log and a citizen keeps the signed head they were served,
 * then the backup is restored into a new data dir and started. The in-flight reports finish,
 * the whole log verifies, a head kept before the backup still verifies, and the head kept after
 * it is detected as a FORK of the restored log: the evidence an operator must answer for.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin } from '../support/admin-cli';
import { http } from '../support/http';
import { groupAlive, launch, launcherEnv, waitFor, type Running } from '../support/launcher';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';

const VERIFIER = join(__dirname, '../../dist/apps/verifier/src/main.js');
const ADMIN_PASSWORD = 'backup-admin-password-1';

let root: string;
let running: Running | undefined;
let base = '';
let env: NodeJS.ProcessEnv = {};
let cast: Cast;

function verify(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VERIFIER, '--url', base, ...args], { timeout: 120_000 }, (err, stdout) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout }),
    );
  });
}

async function start(dataDir: string): Promise<void> {
  const prepared = await launcherEnv(dataDir);
  env = { ...prepared.env, ADMIN_PASSWORD };
  base = prepared.base;
  running = await launch(env, base);
  process.env.OPENCCS_TEST_API_URL = base;
  process.env.OPENCCS_TEST_ADMIN_PASSWORD = ADMIN_PASSWORD;
}

/** Ctrl-C, as a person stops npm start. */
async function stop(): Promise<void> {
  const pid = running?.child.pid;
  if (pid && groupAlive(pid)) {
    process.kill(-pid, 'SIGINT');
    await waitFor('OpenCCS to stop', () => !groupAlive(pid), 60_000);
  }
  running = undefined;
}

async function logHead(): Promise<{ treeHead: { treeSize: number; rootHash: string } }> {
  return (await http<{ treeHead: { treeSize: number; rootHash: string } }>('GET', '/public/v1/log')).body;
}

/** Waits until the log has stopped growing: every accepted decision is published. */
async function settledLog(atLeast: number): Promise<number> {
  let last = -1;
  let still = 0;
  return until(
    `the log to settle at ${atLeast} records or more`,
    async () => {
      const size = (await logHead()).treeHead.treeSize;
      still = size === last ? still + 1 : 0;
      last = size;
      return size >= atLeast && still >= 10 ? size : undefined;
    },
    120_000,
  );
}

async function submit(title: string): Promise<string> {
  const res = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: {
      kind: 'design_change',
      title,
      body: { changeType: 'drainage' },
      amount: { value: 5_000_000, currency: 'KRW' },
    },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function approve(reportId: string, step: 'supervisor' | 'officer' | 'head'): Promise<void> {
  const res = await http('POST', `/api/v1/reports/${reportId}/decisions`, {
    token: cast[step].token,
    body: { action: 'approve' },
  });
  expect([200, 201]).toContain(res.status);
}

async function statusOf(reportId: string): Promise<string> {
  return (await http<{ status: string }>('GET', `/api/v1/reports/${reportId}`, { token: cast.head.token }))
    .body.status;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'openccs-backup-'));
  // As root, PostgreSQL runs as `postgres`, which must pass through to the data dirs.
  chmodSync(root, 0o711);
});
afterAll(async () => {
  await stop().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

it(
  'restores OpenCCS and Temporal together: in-flight reports finish, the log verifies, and heads signed after the backup show as a fork',
  async () => {
    const original = join(root, 'original');
    const backupDir = join(root, 'backup');
    const restored = join(root, 'restored');

    // 1. A running system with finished and in-flight reports.
    await start(original);
    cast = await castProject();
    const done = await submit('Finished before the backup');
    for (const step of ['supervisor', 'officer', 'head'] as const) await approve(done, step);
    const inFlight = [await submit('In flight at the backup 1'), await submit('In flight at the backup 2')];
    for (const id of inFlight) await approve(id, 'supervisor');
    const sizeAtBackup = await settledLog(1);
    const headBefore = join(root, 'head-before.json');
    writeFileSync(headBefore, JSON.stringify(await logHead()));

    // 2. A backup is refused while the system runs, and taken once it is stopped.
    const refused = await admin(['backup', backupDir], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('stop npm start');
    await stop();
    const taken = await admin(['backup', backupDir], env);
    expect(taken.stderr).toContain('Backed up');
    expect(taken.code).toBe(0);

    // The command line starts the stopped embedded PostgreSQL for its own duration, and stops it.
    const reset = await admin(['reset-password', cast.outsider.username], env);
    expect(reset.code).toBe(0);
    expect(reset.stderr).toContain('Starting the embedded PostgreSQL');

    // 3. Life goes on: more decisions, and a citizen keeps the head they were served.
    await start(original);
    const oneTime = await http<{ accessToken: string }>('POST', '/api/v1/auth/token', {
      body: { username: cast.outsider.username, password: reset.stdout.trim() },
    });
    expect(oneTime.status).toBe(200);
    expect((await http('GET', '/api/v1/projects', { token: oneTime.body.accessToken })).status).toBe(403);
    // While npm start runs, the command line uses its PostgreSQL where it listens, and leaves it running.
    const exported = await admin(['export-audit', '--format', 'csv'], { ...env, EMBEDDED_PG_PORT: '9' });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('user.password_reset');
    expect(exported.stderr).not.toContain('Starting the embedded PostgreSQL');
    await approve(inFlight[0] ?? '', 'officer');
    await approve(await submit('Submitted after the backup'), 'supervisor');
    const sizeAfter = await settledLog(sizeAtBackup + 1);
    expect(sizeAfter).toBeGreaterThan(sizeAtBackup);
    const headAfter = join(root, 'head-after.json');
    writeFileSync(headAfter, JSON.stringify(await logHead()));
    await stop();

    // 4. Restore: never over a data dir in use without --force; into a new one, as documented.
    const over = await admin(['restore', backupDir], env);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('is not empty');
    const back = await admin(['restore', backupDir], { ...env, OPENCCS_DATA_DIR: restored });
    expect(back.code).toBe(0);
    await start(restored);

    // 5. The reports in flight at the backup finish: Temporal and OpenCCS agree on where they were.
    expect(await statusOf(done)).toBe('approved');
    for (const id of inFlight) {
      for (const step of ['officer', 'head'] as const) await approve(id, step);
      await until(
        `report ${id} approved`,
        async () => ((await statusOf(id)) === 'approved' ? true : undefined),
        60_000,
      );
    }
    await settledLog(sizeAtBackup + 1);

    // 6. The whole restored log verifies, and so does a head kept before the backup…
    const whole = await verify([]);
    expect(whole.stdout).toMatch(/^OK: /);
    expect(whole.code).toBe(0);
    const before = await verify(['--head', headBefore]);
    expect(before.stdout).toContain('consistent with the log');
    expect(before.code).toBe(0);

    // 7. …but a head signed after it is evidence of a fork.
    const after = await verify(['--head', headAfter]);
    expect(after.stdout).toContain('FORK');
    expect(after.code).toBe(1);
  },
  15 * 60_000,
);
