/**
 * Issue 17's side-by-side run: two API and two worker processes behind a real nginx configured
 * by deploy/nginx/openccs.conf.template, the APIs told PUBLIC_URL (the proxy's address) and
 * TRUST_PROXY (nginx's address). Every client goes through the proxy, as citizens and staff do.
 *   (a) A batch is submitted and decided while one API and one worker are killed (SIGKILL) and
 *       left dead: the survivors finish it; clients retry what failed (a 502 from nginx, a cut
 *       connection) with the same Idempotency-Key; nothing is lost, nothing is done twice, the
 *       log verifies. Then the two come back and carry a batch alone, the other pair killed.
 *   (b) Sign-in limits hold for the processes together: failed sign-ins spread over both APIs
 *       lock the pair out, counted per real client (what nginx saw, whatever the client claims).
 *   (c) What each process caches cannot go stale in a way that matters: the log's tail page and
 *       the figures read through one process show an append made through the other.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { variableSpec } from '@openccs/config';
import { DEFAULT_TASK_QUEUE } from '@openccs/contracts';
import { http } from '../support/http';
import { USER_PASSWORD } from '../support/factories';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';
import { freePort } from '../setup/test-stack';
import { Line } from './line';
import { Nginx } from './nginx';
import { ADMIN_PASSWORD, ChaosSystem } from './system';

const ROOT = join(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'tests/artifacts/chaos-side-by-side');
const BATCH = 8;
const LOCKOUT_ATTEMPTS = 4;
const LOGIN_RATE_LIMIT = 10;

let system: ChaosSystem;
let nginx: Nginx;
let cast: Cast;
let line: Line;
let nginxDir: string;
const figures: Record<string, unknown> = {};

/** host:port of an API as nginx's access log names it. */
const upstreamOf = (api: 'api' | 'api-2') => `127.0.0.1:${system.apiPorts.get(api)}`;

/** Which API served each request nginx passed on from the `from`-th request on. */
function servedSince(from: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const upstream of nginx.upstreamsServed().slice(from)) counts[upstream] = (counts[upstream] ?? 0) + 1;
  return counts;
}

/** A request from a loopback address of its own (127.0.0.2, …), as a client elsewhere would come. */
function from(
  localAddress: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { code?: string } }> {
  const url = new URL(path, nginx.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Waits until nginx passes requests to both APIs again (it skips one for 10 s after a failure). */
async function bothServing(): Promise<void> {
  const before = nginx.upstreamsServed().length;
  await until(
    'nginx passing requests to both APIs',
    async () => {
      await http('GET', '/health/live');
      const served = servedSince(before);
      return served[upstreamOf('api')] && served[upstreamOf('api-2')] ? true : undefined;
    },
    30_000,
  );
}

const signIn = (client: string, username: string, password: string, headers?: Record<string, string>) =>
  from(client, 'POST', '/api/v1/auth/token', { username, password }, headers);

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'openccs-side-by-side-'));
  system = await ChaosSystem.create(dataDir, ARTIFACTS, { apis: 2, workers: 2 });
  nginxDir = mkdtempSync(join(tmpdir(), 'openccs-nginx-'));
  const proxyPort = await freePort();
  // The body limit the template asks for: MAX_UPLOAD_BYTES and a megabyte for the multipart envelope.
  const maxUpload = Number(process.env.MAX_UPLOAD_BYTES || variableSpec('MAX_UPLOAD_BYTES').default);
  nginx = await Nginx.start(
    {
      dir: nginxDir,
      port: proxyPort,
      upstreams: [upstreamOf('api'), upstreamOf('api-2')],
      maxBody: `${Math.ceil(maxUpload / 1_048_576) + 1}m`,
    },
    (child) => system.capture('nginx', child),
  );
  system.extraEnv = {
    PUBLIC_URL: nginx.url,
    // nginx's address as the APIs see it: only its X-Forwarded-For counts.
    TRUST_PROXY: '127.0.0.1',
    LOGIN_LOCKOUT_ATTEMPTS: String(LOCKOUT_ATTEMPTS),
    LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT),
  };
  await system.start();
  process.env.OPENCCS_TEST_API_URL = nginx.url;
  process.env.OPENCCS_TEST_ADMIN_PASSWORD = ADMIN_PASSWORD;
  cast = await castProject();
  line = new Line(system, cast, () => nginx.url);
}, 180_000);

// Each test starts with every process up, even when the one before failed with some left dead.
afterEach(() => system.startMissing(), 90_000);

afterAll(async () => {
  await nginx?.stop();
  await system?.stop();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  if (system) rmSync(system.dataDir, { recursive: true, force: true });
  if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
}, 120_000);

it('serves through nginx with PUBLIC_URL as the one source of absolute links, round robin over both APIs', async () => {
  await bothServing();
  const feed = await fetch(`${nginx.url}/public/v1/flags.atom`).then((r) => r.text());
  expect(feed).toContain(nginx.url);
});

it('(a) one API and one worker killed mid-batch and left dead: the survivors finish it, nothing lost, nothing twice; then they rejoin', async () => {
  const started = Date.now();
  const first = await line.submitBatch('side-by-side', BATCH);
  const logBefore = nginx.upstreamsServed().length;
  const deciding = line.decideAll(first, 'supervisor');
  // More reports arrive while the fault strikes: their submissions must not be lost or doubled.
  const arriving = line.submitBatch('side-by-side late', BATCH / 2);
  await line.firstProjected(first, 0);
  system.kill('api-2', { restart: false });
  system.kill('worker-2', { restart: false });
  figures.inFlightAtKill = await line.inFlight(first);
  const late = await arriving;
  figures.retries = (await deciding).reduce((a, b) => a + b - 1, 0);
  figures.finishedByTheSurvivorsMs = Date.now() - started;
  await line.decideAll(late, 'supervisor');
  for (const step of ['officer', 'head'] as const) await line.decideAll([...first, ...late], step);
  figures.batchMs = Date.now() - started;
  figures.retriedOn = { ...line.retriedOn };
  figures.servedDuringBatch = servedSince(logBefore);
  // Nobody restarted them: the survivors carried the batch.
  expect([system.restarts['api-2'] ?? 0, system.restarts['worker-2'] ?? 0]).toEqual([0, 0]);
  // Clients met the kill (a 502 from nginx or a cut connection) and retried with the same key.
  expect((line.retriedOn['502'] ?? 0) + (line.retriedOn.network ?? 0)).toBeGreaterThan(0);
  // Nothing doubled by a retried submission: one report per accepted submission.
  const [count] = await line.sql<{ n: string }>('SELECT count(*) AS n FROM reports WHERE project_id = $1', [
    cast.project.id,
  ]);
  expect(Number(count?.n)).toBe(line.reports.length);
  await line.expectConsistent();

  // Back they come; then the other pair is killed, so the next batch needs the two that rejoined.
  system.startService('api-2');
  system.startService('worker-2');
  await system.waitReady(60_000, ['api-2']);
  const worker2 = system.pidOf('worker-2');
  await until(
    'the restarted worker polling the task queue',
    () =>
      line.withTemporal(async (client) => {
        const queue = await client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: process.env.TEMPORAL_TASK_QUEUE || DEFAULT_TASK_QUEUE },
        });
        return queue.pollers?.some((p) => p.identity?.startsWith(`${worker2}@`)) ? true : undefined;
      }),
    30_000,
  );
  // nginx tries the API it gave up on again after fail_timeout (10 s), and passes it requests.
  await bothServing();
  system.kill('api', { restart: false });
  system.kill('worker', { restart: false });
  const rejoinedFrom = nginx.upstreamsServed().length;
  const again = await line.submitBatch('side-by-side rejoined', BATCH / 2);
  for (const step of ['supervisor', 'officer', 'head'] as const) await line.decideAll(again, step);
  figures.servedAfterRejoining = servedSince(rejoinedFrom);
  expect(servedSince(rejoinedFrom)[upstreamOf('api-2')]).toBeGreaterThan(0);
  await line.expectConsistent();
  system.startService('api');
  system.startService('worker');
  await system.waitReady(60_000);
}, 300_000);

it('(b) failed sign-ins spread over both APIs lock the pair out, counted per real client, whatever it claims', async () => {
  await bothServing();
  const username = cast.outsider.username;
  const before = nginx.upstreamsServed().length;
  // From 127.0.0.2, claiming to be someone else each time: nginx replaces the claim.
  const statuses: number[] = [];
  for (let i = 0; i < LOCKOUT_ATTEMPTS + 1; i++)
    statuses.push(
      (await signIn('127.0.0.2', username, 'wrong-password-1', { 'x-forwarded-for': `203.0.113.${i + 1}` }))
        .status,
    );
  const served = servedSince(before);
  expect(served[upstreamOf('api')]).toBeGreaterThan(0);
  expect(served[upstreamOf('api-2')]).toBeGreaterThan(0);
  expect(statuses).toEqual([...Array<number>(LOCKOUT_ATTEMPTS).fill(401), 429]);
  // Locked on every process: the right password from the same client learns nothing, twice (both APIs).
  for (let i = 0; i < 2; i++) {
    const locked = await signIn('127.0.0.2', username, USER_PASSWORD);
    expect([locked.status, locked.body.code]).toEqual([429, 'auth.locked_out']);
  }
  // Another client is another pair: the APIs saw the real clients, not nginx.
  expect((await signIn('127.0.0.3', username, USER_PASSWORD)).status).toBe(200);

  // LOGIN_RATE_LIMIT: a spray of usernames from one client meets one budget, not one per process.
  const spray: number[] = [];
  for (let i = 0; i < LOGIN_RATE_LIMIT + 2; i++)
    spray.push((await signIn('127.0.0.4', `nobody-${randomUUID()}`, 'wrong-password-1')).status);
  expect(spray).toEqual([...Array<number>(LOGIN_RATE_LIMIT).fill(401), 429, 429]);
  figures.signInServed = servedSince(before);
});

it('(c) a page cached by one process is never stale after an append through the other', async () => {
  const apis = ['api', 'api-2'] as const;
  const tail = (api: (typeof apis)[number]) =>
    http<{ items: Array<{ seq: number }> }>('GET', '/public/v1/records?limit=1000', {
      base: system.urlOf(api),
    });
  const sizes = async () => Promise.all(apis.map(async (api) => (await tail(api)).body.items.length));
  const asOf = async () =>
    Promise.all(
      apis.map(
        async (api) =>
          (
            await http<{ asOf: { treeSize: number } }>(
              'GET',
              `/public/v1/projects/${cast.project.code}/flags`,
              {
                base: system.urlOf(api),
              },
            )
          ).body.asOf.treeSize,
      ),
    );
  // Both processes have read (and cached what they may) before the append.
  const [n] = await sizes();
  expect(await sizes()).toEqual([n, n]);
  expect(await asOf()).toEqual([n, n]);
  // A full page, cached as immutable by each process: the same bytes from both.
  const full = await Promise.all(
    apis.map((api) => fetch(`${system.urlOf(api)}/public/v1/records?limit=2`).then((r) => r.text())),
  );
  expect(full[1]).toBe(full[0]);

  // An append decided through api: once the worker published it, api-2 shows it at once.
  const [id] = await line.submitBatch('side-by-side cache', 1);
  await line.decideAll([id ?? ''], 'supervisor');
  await until('the record published', async () =>
    (await tail('api')).body.items.length > (n ?? 0) ? true : undefined,
  );
  expect(await sizes()).toEqual([(n ?? 0) + 1, (n ?? 0) + 1]);
  expect(await asOf()).toEqual([(n ?? 0) + 1, (n ?? 0) + 1]);
});
