/**
 * Metrics and tracing (docs/operations.md, "Metrics and tracing"), on real processes: the built
 * API and worker started as `npm run start:api` / `start:worker` start them, on the run's
 * PostgreSQL and Temporal, with a task queue of their own, METRICS_TOKEN set and an OTLP/HTTP
 * receiver (node:http, here) as their OTEL_EXPORTER_OTLP_ENDPOINT. Then: both /metrics show what
 * they promise, a report's submission is one trace from the API request through the workflow to
 * an activity, and the test stack's own API (no token, no tracing) serves /metrics open and past
 * its rate limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { TEMPORAL_SDK_METRIC_NAMES } from '../../apps/worker/src/sdk-metric-names';
import { freePort } from '../setup/test-stack';
import { startApi, type ExtraApi } from '../support/api';
import { closeDb, count } from '../support/db';
import { http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';

const DIST = join(__dirname, '../../dist/apps');
const TOKEN = randomBytes(16).toString('hex');

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

/** An OTLP/HTTP (JSON) traces receiver: keeps every span it is sent. */
function otlpReceiver(): { server: Server; spans: Span[] } {
  const spans: Span[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: Array<{
            resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
            scopeSpans: Array<{ spans: Array<Omit<Span, 'service'>> }>;
          }>;
        };
        for (const rs of parsed.resourceSpans) {
          const service =
            rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

function start(script: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(DIST, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

const scrape = (base: string, token: string | null = TOKEN) =>
  fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** The value of one sample, e.g. `openccs_log_records` or `openccs_reports_open{kind="x",…}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('metrics and tracing', () => {
  const receiver = otlpReceiver();
  let api: ReturnType<typeof start>;
  let worker: ReturnType<typeof start>;
  let apiBase: string;
  let workerBase: string;
  let cast: Cast;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'api/src/main.js')))
      throw new Error('dist is missing: run npm run build (npm test does it first)');
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const otlpPort = (receiver.server.address() as { port: number }).port;
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      WORKER_METRICS_PORT: String(workerPort),
      // Its own queue: the reports this API starts run on this worker, with tracing.
      TEMPORAL_TASK_QUEUE: `openccs-metrics-${randomBytes(4).toString('hex')}`,
      METRICS_TOKEN: TOKEN,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      LOG_LEVEL: 'warn',
    };
    apiBase = `http://127.0.0.1:${apiPort}`;
    workerBase = `http://127.0.0.1:${workerPort}`;
    worker = start('worker/src/main.js', env);
    // At info: the API's access log is checked too.
    api = start('api/src/main.js', { ...env, LOG_LEVEL: 'info' });
    cast = await castProject();
    await until(
      `both processes serve /metrics (api: ${api.output()} worker: ${worker.output()})`,
      async () => {
        const [a, w] = await Promise.all([scrape(apiBase), scrape(workerBase)]).catch(() => [null, null]);
        return a?.status === 200 && w?.status === 200 ? true : undefined;
      },
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api && stop(api.child), worker && stop(worker.child)]);
    receiver.server.close();
    await closeDb();
  });

  it('asks for the token when METRICS_TOKEN is set, and is never cached', async () => {
    for (const base of [apiBase, workerBase]) {
      expect((await scrape(base, null)).status).toBe(401);
      expect((await scrape(base, 'not-the-token-at-all')).status).toBe(401);
      const ok = await scrape(base);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    }
  });

  it('traces a submission from the API request through the workflow to its activities', async () => {
    const submitted = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      base: apiBase,
      token: cast.contractor.token,
      body: { kind: 'inspection_request', title: 'Traced from the request to the activity' },
    });
    expect(submitted.status).toBe(201);
    const request = await until('the request span', () =>
      receiver.spans.find(
        (s) => s.service === 'openccs-api' && s.name === 'POST /api/v1/projects/:projectId/reports',
      ),
    );
    const trace = () => receiver.spans.filter((s) => s.traceId === request.traceId);
    await until(
      `a workflow and an activity span in trace ${request.traceId}: ${JSON.stringify(receiver.spans.map((s) => [s.service, s.name, s.traceId.slice(0, 6)]))}\n${worker.output().slice(-3000)}`,
      () => {
        const names = trace().map((s) => s.name);
        // The workflow's own RunWorkflow span ends (and leaves) only when the report closes; its
        // handling of the submission's update is a span of the workflow's code all the same.
        return names.some((n) => /^(RunWorkflow|HandleUpdate):/.test(n)) &&
          names.some((n) => n.startsWith('RunActivity:'))
          ? true
          : undefined;
      },
      30_000,
    );
    const spans = trace();
    expect(spans.filter((s) => s.service === 'openccs-worker').length).toBeGreaterThan(1);
    // The client's span (StartWorkflow… or UpdateWithStart…) is a child of the request's.
    expect(spans.some((s) => s.service === 'openccs-api' && s.parentSpanId === request.spanId)).toBe(true);
  });

  it('shows request durations by route template, the gauges and the process metrics on the API', async () => {
    await http('GET', `/api/v1/projects/${cast.project.id}`, { base: apiBase, token: cast.contractor.token });
    await http('GET', `/no/such/page/${randomBytes(4).toString('hex')}`, { base: apiBase });
    const text = await (await scrape(apiBase)).text();
    for (const name of [
      'openccs_http_request_duration_seconds histogram',
      'openccs_reports_open gauge',
      'openccs_steps_overdue gauge',
      'openccs_escalations_open gauge',
      'openccs_webhook_deliveries_failing gauge',
      'openccs_log_records gauge',
      'openccs_log_last_append_timestamp_seconds gauge',
      'openccs_reports_stuck gauge',
      'openccs_metrics_source_up gauge',
      'process_cpu_user_seconds_total counter',
      'nodejs_eventloop_lag_seconds gauge',
    ])
      expect(text).toContain(`# TYPE ${name}`);
    expect(
      sample(text, 'openccs_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/projects/:projectId',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'openccs_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    // No id, no raw path, ever: one series per route template.
    const routes = [...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(routes.filter((r) => /[0-9a-f]{8}-|\/no\/such/.test(r))).toEqual([]);
    expect(text).not.toContain('route="/metrics"');
    expect(sample(text, 'openccs_metrics_source_up', { source: 'database' })).toBe(1);
    expect(sample(text, 'openccs_metrics_source_up', { source: 'temporal' })).toBe(1);
    expect(sample(text, 'openccs_reports_stuck', { remedy: 'restart' })).toBeGreaterThanOrEqual(0);
  });

  it('writes an access-log line per staff request and none per public read', async () => {
    const id = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
    const staff = id('staff');
    const read = id('read');
    const refused = id('refused');
    const headers = (requestId: string) => ({ 'x-request-id': requestId });
    await http('GET', `/api/v1/projects/${cast.project.id}`, {
      base: apiBase,
      token: cast.contractor.token,
      headers: headers(staff),
    });
    expect(
      (await http('GET', '/public/v1/projects?limit=5', { base: apiBase, headers: headers(read) })).status,
    ).toBe(200);
    // Refused or not, a public read is not logged; the caller still gets its request id.
    const bad = await http('GET', '/public/v1/projects?limit=abc', {
      base: apiBase,
      headers: headers(refused),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe(refused);
    const line = await until('the staff request’s access-log line', () =>
      api
        .output()
        .split('\n')
        .find((l) => l.includes(staff)),
    );
    expect(JSON.parse(line)).toMatchObject({ msg: 'request completed', res: { statusCode: 200 } });
    expect(api.output()).not.toContain(read);
    expect(api.output()).not.toContain(refused);
  });

  it('reports the gauges as the database has them, at most a cache period late', async () => {
    const open = () =>
      count(
        `SELECT 1 FROM reports WHERE status IN ('in_review', 'returned') AND kind = 'inspection_request'`,
      );
    const records = () => count('SELECT 1 FROM disclosure_records');
    expect(await open()).toBeGreaterThan(0);
    await until(
      'openccs_reports_open and openccs_log_records to match the database',
      async () => {
        const text = await (await scrape(apiBase)).text();
        const shown = [...text.matchAll(/^openccs_reports_open\{([^}]*)\} (\d+)$/gm)]
          .filter((m) => m[1]?.includes('kind="inspection_request"'))
          .reduce((sum, m) => sum + Number(m[2]), 0);
        return shown === (await open()) && sample(text, 'openccs_log_records') === (await records())
          ? true
          : undefined;
      },
      30_000,
    );
  });

  it('shows the Temporal SDK’s metrics and the process’s on the worker', async () => {
    const text = await until('the SDK’s workflow task metrics', async () => {
      const body = await (await scrape(workerBase)).text();
      return /^temporal_workflow_task_execution_latency_bucket/m.test(body) &&
        /^temporal_local_activity_execution_latency_bucket/m.test(body)
        ? body
        : undefined;
    });
    expect(sample(text, 'openccs_worker_sdk_metrics_up')).toBe(1);
    for (const name of [
      'temporal_worker_start',
      'temporal_num_pollers',
      'temporal_worker_task_slots_available',
      'temporal_request',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toMatch(new RegExp(`^${name}[{ ]`, 'm'));
    // The labels the example alerts select on.
    expect(text).toMatch(/^temporal_num_pollers\{[^}]*poller_type="workflow_task"/m);
    expect(text).toMatch(/^temporal_worker_task_slots_available\{[^}]*worker_type="/m);
    // A report's database work runs as local activities (docs/architecture.md).
    expect(text).toMatch(/^temporal_local_activity_execution_latency_bucket\{[^}]*activity_type="/m);
    // Everything the SDK exports is in the list the deploy/ files are checked against.
    const exported = new Set([...text.matchAll(/^# TYPE (temporal_\w+) /gm)].map((m) => m[1] ?? ''));
    expect(
      [...exported].filter((n) => !(TEMPORAL_SDK_METRIC_NAMES as readonly string[]).includes(n)),
    ).toEqual([]);
  });

  describe('on an API without METRICS_TOKEN', () => {
    let open: ExtraApi;
    beforeAll(async () => {
      open = await startApi({ PUBLIC_RATE_LIMIT: '2' });
    });
    afterAll(() => open.app.close());

    it('is open, and scrapes neither count against the public rate limit nor are limited by it', async () => {
      for (let i = 0; i < 5; i++) expect((await scrape(open.base, null)).status).toBe(200);
      expect((await http('GET', '/public/v1/projects', { base: open.base })).status).toBe(200);
      expect((await http('GET', '/public/v1/projects', { base: open.base })).status).toBe(200);
      expect((await http('GET', '/public/v1/projects', { base: open.base })).status).toBe(429);
      expect((await scrape(open.base, null)).status).toBe(200);
    });
  });

  // Last: it stops the API.
  it('sends the spans still buffered when the API stops', async () => {
    const before = receiver.spans.length;
    const res = await http('GET', '/public/v1/profile', { base: apiBase });
    expect(res.status).toBe(200);
    await stop(api.child);
    expect(api.child.exitCode ?? api.child.signalCode).not.toBeNull();
    expect(
      receiver.spans
        .slice(before)
        .some((s) => s.service === 'openccs-api' && s.name === 'GET /public/v1/profile'),
    ).toBe(true);
  });
});
