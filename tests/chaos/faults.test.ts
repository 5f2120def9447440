/**
 * Issue 7's fault suite. Batches of design changes go through the three-step line while one
 * fault strikes mid-flight:
 *   (a) SIGKILL of the worker between a decision being accepted and its projection/publication;
 *   (b) a restart of the Temporal dev server (its SQLite data kept);
 *   (c) PostgreSQL stopped for ten seconds while decisions and publications are in flight;
 *   (d) SIGKILL of the API during decisions, the clients retrying with the same Idempotency-Key;
 *   (e) SIGKILL of every process, then `npm start` on the same data.
 * Clients behave as the API asks: on a network error, a 5xx or a 409 "still running" they retry
 * with the same Idempotency-Key. After each fault, for every report so far: each accepted decision
 * is applied exactly once (workflow state, read model and audit log), the read model equals the
 * workflow's state, the public log holds exactly one record per finished step, and the
 * verifier accepts the whole log. Through every fault, a hostile client keeps sending poison
 * (NUL and lone surrogates, bidi overrides, oversized and over-deep bodies, absurd durations) at
 * the same reports: each is refused with a 400 (or meets a dead process), none is ever accepted,
 * and none disturbs the batch.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { reportStateQuery, reportWorkflowId } from '@openccs/contracts';
import type { ReportState } from '@openccs/domain';
import { stopChild } from '@openccs/devstack';
import { http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';
import { ADMIN_PASSWORD, ChaosSystem } from './system';

const ROOT = join(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'tests/artifacts/chaos');
const run = promisify(execFile);
const BATCH = 6;
const STEPS = ['supervisor', 'officer', 'head'] as const;

let system: ChaosSystem;
let cast: Cast;
let launcher: ChildProcess | undefined;
const reports: string[] = [];
/** What the clients were told was accepted, per report: one entry per decision. */
const accepted = new Map<string, string[]>();
const figures: Record<string, unknown> = {};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new PgClient({ connectionString: system.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * A client that does what the API tells it: retry a network error, a 5xx or a 409 "still
 * running" with the same Idempotency-Key, until the answer is final. Returns how many tries it took.
 */
async function patientPost(path: string, token: string, body: unknown, key: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${system.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    }).catch(() => undefined);
    if (res && res.status < 300) return attempt;
    const text = res ? await res.text() : 'no answer';
    if (res && res.status < 500 && res.status !== 409) throw new Error(`${path}: ${res.status} ${text}`);
    if (attempt > 400) throw new Error(`${path}: still failing after ${attempt} tries: ${text}`);
    await sleep(250);
  }
}

async function submitBatch(label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < BATCH; i++) {
    const res = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      token: cast.contractor.token,
      body: {
        kind: 'design_change',
        title: `${label} ${i + 1}: retaining wall drainage`,
        body: { changeType: 'drainage' },
        amount: { value: 1_000_000 * (i + 1), currency: 'KRW' },
      },
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
    accepted.set(res.body.id, []);
  }
  reports.push(...ids);
  return ids;
}

/** Every report of the batch decided at `step`, all at once, by patient clients. */
function decideAll(ids: readonly string[], step: (typeof STEPS)[number]) {
  return Promise.all(
    ids.map(async (id) => {
      const tries = await patientPost(
        `/api/v1/reports/${id}/decisions`,
        cast[step].token,
        { action: 'approve' },
        `${step}-${id}-${randomUUID()}`,
      );
      accepted.get(id)?.push(step);
      return tries;
    }),
  );
}

/** Resolves once at least one of the batch's decisions at this step has reached the read model. */
const firstProjected = (ids: readonly string[], count: number) =>
  until(
    'a first decision in the read model',
    async () => {
      const rows = await sql<{ n: string }>(
        'SELECT count(*) AS n FROM report_decisions WHERE report_id = ANY($1::uuid[])',
        [ids],
      ).catch(() => [{ n: '0' }]);
      return Number(rows[0]?.n) > count ? true : undefined;
    },
    60_000,
  );

async function withTemporal<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: system.temporalAddress });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

/**
 * Workflows caught mid-decision: their history holds an accepted decision not yet completed, or
 * their read model holds a decision whose update the history has not completed yet (the
 * decision's workflow task, with its local activities, was under way: its writes are in, its
 * markers were lost with the worker).
 */
function inFlight(ids: readonly string[]): Promise<number> {
  return withTemporal(async (client) => {
    let n = 0;
    for (const id of ids) {
      const history = await client.workflow.getHandle(reportWorkflowId(id)).fetchHistory();
      const events = history.events ?? [];
      const acceptedUpdates = events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
      const completedUpdates = events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes).length;
      const [row] = await sql<{ n: string }>(
        'SELECT count(*) AS n FROM report_decisions WHERE report_id = $1',
        [id],
      );
      // The submission is an update too: completed decisions are one fewer.
      if (acceptedUpdates > completedUpdates || Number(row?.n) > completedUpdates - 1) n++;
    }
    return n;
  });
}

/** Requests no layer may accept, aimed at the batch's reports while a fault strikes. */
function hostileRequests(
  ids: readonly string[],
): Array<{ path: string; token: string; raw: string; refused: number[] }> {
  const id = ids[0] ?? '';
  const deep = `${'['.repeat(2_000)}1${']'.repeat(2_000)}`;
  // Decisions as the contractor: were one ever to get past the edge, it could still decide nothing.
  const decide = (raw: string) => ({
    path: `/api/v1/reports/${id}/decisions`,
    token: cast.contractor.token,
    raw,
    refused: [400],
  });
  return [
    decide(JSON.stringify({ action: 'approve', comment: 'nul\u0000' })),
    decide('{"action":"approve","comment":"lone \\ud800"}'),
    decide(deep),
    {
      path: `/api/v1/projects/${cast.project.id}/reports`,
      token: cast.contractor.token,
      raw: JSON.stringify({ kind: 'inspection_request', title: 'big', body: { blob: 'x'.repeat(900_000) } }),
      // Refused by the field's own rule, after the caller is known: while PostgreSQL is down, 503.
      refused: [400, 503],
    },
    {
      path: `/api/v1/projects/${cast.project.id}/reports`,
      token: cast.contractor.token,
      raw: JSON.stringify({
        kind: 'design_change',
        title: 'invoice\u202egnp.exe',
        amount: { value: 1, currency: 'KRW' },
      }),
      refused: [400, 503],
    },
  ];
}

/** Sends hostile requests until `stop()`; every answer must be a refusal, or a process that is down. */
async function hostileStream(ids: readonly string[], stop: () => boolean): Promise<number> {
  let sent = 0;
  const requests = hostileRequests(ids);
  while (!stop()) {
    const r = requests[sent % requests.length];
    if (!r) break;
    const res = await fetch(`${system.baseUrl}${r.path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${r.token}`,
        'content-type': 'application/json',
        'x-request-id': 'hostile',
      },
      body: r.raw,
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    sent++;
    if (res && !r.refused.includes(res.status))
      expect([r.path, res.status, await res.text()]).toEqual([r.path, r.refused]);
    await sleep(50);
  }
  return sent;
}

/** Drives a batch through the whole line with `fault` striking during the first decisions. */
async function batchUnder(label: string, fault: (ids: readonly string[]) => Promise<void>) {
  const ids = await submitBatch(label);
  const started = Date.now();
  let decided = false;
  const hostile = hostileStream(ids, () => decided);
  const deciding = decideAll(ids, 'supervisor');
  await fault(ids);
  const tries = await deciding.finally(() => (decided = true));
  const recoveredMs = Date.now() - started;
  const hostileSent = await hostile;
  await decideAll(ids, 'officer');
  await decideAll(ids, 'head');
  figures[label] = { recoveredMs, retries: tries.reduce((a, b) => a + b - 1, 0), hostileSent };
}

async function expectConsistent(): Promise<void> {
  const states = await withTemporal(async (client) => {
    const out = new Map<string, ReportState>();
    for (const id of reports)
      out.set(id, await client.workflow.getHandle(reportWorkflowId(id)).query(reportStateQuery));
    return out;
  });
  const records = await publicRecords();
  for (const id of reports) {
    const state = states.get(id);
    if (!state) throw new Error(`no state for ${id}`);
    // Every accepted decision applied exactly once, and nothing else.
    expect([id, state.status, state.decisions.map((d) => d.stepKey)]).toEqual([
      id,
      'approved',
      ['supervisor_review', 'agency_officer_approval', 'agency_head_decision'],
    ]);
    expect(accepted.get(id)).toEqual([...STEPS]);
    // The read model is the workflow's state, with one decision row each.
    const [row] = await sql<{ state: ReportState; version: number }>(
      'SELECT state, version FROM reports WHERE id = $1',
      [id],
    );
    expect(row?.state).toEqual(state);
    const decisionRows = await sql<{ step_key: string }>(
      'SELECT step_key FROM report_decisions WHERE report_id = $1 ORDER BY seq',
      [id],
    );
    expect(decisionRows.map((r) => r.step_key)).toEqual(state.decisions.map((d) => d.stepKey));
    // One audit event per change: no version audited twice, decisions audited once each.
    const audit = await sql<{ action: string; version: string }>(
      `SELECT action, details->>'version' AS version FROM audit_events
        WHERE subject_type = 'report' AND subject_id = $1 ORDER BY id`,
      [id],
    );
    expect(new Set(audit.map((a) => a.version)).size).toBe(audit.length);
    expect(audit.filter((a) => a.action === 'report.decide')).toHaveLength(3);
    // Exactly one public record per finished step.
    const mine = records.filter((r) => r.report?.id === id).map((r) => `${r.report.revision}:${r.step.key}`);
    expect(mine).toEqual(['1:supervisor_review', '1:agency_officer_approval', '1:agency_head_decision']);
  }
  const { stdout } = await run(process.execPath, [
    join(ROOT, 'dist/apps/verifier/src/main.js'),
    '--url',
    system.baseUrl,
  ]);
  expect(stdout).toMatch(/OK|verified/i);
}

async function publicRecords() {
  type Rec = { report: { id: string; revision: number }; step: { key: string } };
  const all: Rec[] = [];
  for (let after = -1; ;) {
    const page = await http<{ items: Array<Rec & { seq: number }> }>(
      'GET',
      `/public/v1/records?limit=1000${after >= 0 ? `&after=${after}` : ''}`,
      { base: system.baseUrl },
    );
    all.push(...page.body.items);
    if (page.body.items.length < 1000) return all;
    after = page.body.items[page.body.items.length - 1]?.seq ?? after;
  }
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'openccs-chaos-'));
  system = await ChaosSystem.create(dataDir, ARTIFACTS);
  await system.start();
  process.env.OPENCCS_TEST_API_URL = system.baseUrl;
  process.env.OPENCCS_TEST_ADMIN_PASSWORD = ADMIN_PASSWORD;
  cast = await castProject();
}, 180_000);

afterAll(async () => {
  if (launcher) await stopChild(launcher, 30_000);
  await system?.stop();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  if (system) rmSync(system.dataDir, { recursive: true, force: true });
}, 120_000);

it('(a) SIGKILL of the worker between an accepted decision and its projection loses nothing and does nothing twice', async () => {
  await batchUnder('worker-killed', async (ids) => {
    await firstProjected(ids, 0);
    system.kill('worker');
    // Proof the kill landed inside the window: decisions under way, not yet completed in history.
    figures.workerKilledInFlight = await inFlight(ids);
    expect(figures.workerKilledInFlight).toBeGreaterThan(0);
  });
  expect(system.restarts.worker).toBe(1);
  await expectConsistent();
}, 240_000);

it('(b) a restart of the Temporal dev server keeps every decision and finishes the line', async () => {
  await batchUnder('temporal-restarted', async (ids) => {
    await firstProjected(ids, 0);
    await system.stopTemporal();
    await sleep(2_000);
    await system.startTemporal();
  });
  await expectConsistent();
}, 240_000);

it('(c) PostgreSQL stopped for ten seconds mid-flight: projections and publications resume, once', async () => {
  await batchUnder('postgres-stopped', async (ids) => {
    await firstProjected(ids, 0);
    await system.stopPostgres();
    const ready = await fetch(`${system.baseUrl}/health/ready`).catch(() => undefined);
    expect(ready?.status).toBe(503);
    await sleep(10_000);
    await system.startPostgres();
  });
  await expectConsistent();
}, 240_000);

it('(d) SIGKILL of the API during decisions: a retry with the same Idempotency-Key gets the one result', async () => {
  const restartsBefore = system.restarts.api;
  await batchUnder('api-killed', async (ids) => {
    await firstProjected(ids, 0);
    system.kill('api');
    figures.apiKilledInFlight = await inFlight(ids);
  });
  expect(system.restarts.api).toBe(restartsBefore + 1);
  await expectConsistent();
}, 240_000);

it('(e) SIGKILL of every process, then npm start on the same data: nothing lost, nothing twice', async () => {
  await batchUnder('everything-killed', async (ids) => {
    await firstProjected(ids, 0);
    system.killEverything();
    launcher = spawn(process.execPath, [join(ROOT, 'dist/apps/launcher/src/main.js')], {
      env: system.launcherEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    system.capture('launcher', launcher);
    await system.waitReady(120_000);
  });
  await expectConsistent();
}, 240_000);
