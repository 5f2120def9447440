/**
 * A worker told to stop (SIGTERM, as Kubernetes and Docker do) drains: it stops polling, lets the
 * activity it is running finish, then exits 0 (docs/deployment.md, "Worker shutdown"). Shown with
 * the built worker process and a webhook receiver that holds its answer for a few seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../setup/test-stack';
import { startApi, type ExtraApi } from '../support/api';
import { closeDb, db } from '../support/db';
import { asAdmin } from '../support/factories';
import { http } from '../support/http';
import { castProject } from '../support/scenario';
import { until } from '../support/until';

const WORKER = join(__dirname, '../../dist/apps/worker/src/main.js');
/** Under the delivery's own timeout (10 s) and the worker's shutdown grace time (20 s). */
const HOLD_MS = 5_000;

interface Held {
  deliveryId: string;
  arrivedAt: number;
  answeredAt?: number;
}

const held: Held[] = [];
let receiver: Server;
let receiverPort: number;
let api: ExtraApi;
let worker: ChildProcess;
let workerOutput = '';
const savedApiUrl = process.env.OPENCCS_TEST_API_URL;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const entry: Held = { deliveryId: String(req.headers['x-openccs-delivery']), arrivedAt: Date.now() };
    held.push(entry);
    req.resume();
    setTimeout(() => {
      entry.answeredAt = Date.now();
      res.writeHead(204).end();
    }, HOLD_MS);
  });
  receiverPort = await freePort();
  await new Promise<void>((r) => receiver.listen(receiverPort, '127.0.0.1', r));

  // A task queue of its own: only this worker process runs what this API starts.
  const taskQueue = `openccs-drain-${randomBytes(4).toString('hex')}`;
  worker = spawn(process.execPath, [WORKER], {
    env: { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.on('data', (c: Buffer) => (workerOutput += c.toString()));
  worker.stderr?.on('data', (c: Buffer) => (workerOutput += c.toString()));
  await until('the worker to run', () => workerOutput.includes('worker running') || undefined, 120_000);
  api = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue });
  process.env.OPENCCS_TEST_API_URL = api.base;
}, 180_000);

afterAll(async () => {
  process.env.OPENCCS_TEST_API_URL = savedApiUrl;
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await api?.app.close();
  await new Promise<void>((r) => receiver.close(() => r()));
  await closeDb();
});

it('finishes the activity it is running, then exits 0', async () => {
  const cast = await castProject();
  const hook = await http('POST', `/api/v1/organizations/${cast.supervisor.organizationId}/webhooks`, {
    token: await asAdmin(),
    body: { url: `http://127.0.0.1:${receiverPort}/hook`, secret: 'a-webhook-secret-of-at-least-32-chars!' },
  });
  expect(hook.status).toBe(201);
  const report = await http('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'material_approval', title: 'Delivered while the worker stops' },
  });
  expect(report.status).toBe(201);

  // The delivery activity is waiting on the receiver: stop the worker now.
  const inFlight = await until('a delivery in flight', () => held[0], 60_000);
  const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
  worker.kill('SIGTERM');
  const code = await exited;
  const exitedAt = Date.now();

  expect(code).toBe(0);
  expect(workerOutput).toContain('draining');
  // It waited for the answer instead of abandoning the request…
  expect(inFlight.answeredAt).toBeDefined();
  expect(exitedAt).toBeGreaterThanOrEqual(inFlight.answeredAt ?? Infinity);
  // …and recorded it: delivered once, nothing left for another worker to do again.
  const { rows } = await db().query(`SELECT status, attempts FROM webhook_deliveries WHERE id = $1`, [
    inFlight.deliveryId,
  ]);
  expect(rows).toEqual([{ status: 'delivered', attempts: 1 }]);
  expect(held.filter((h) => h.deliveryId === inFlight.deliveryId)).toHaveLength(1);
}, 120_000);
