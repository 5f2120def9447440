// Public read under load, each endpoint against a bare baseline measured in the same run:
//   - the log's tail page (`GET /public/v1/records?after=…`, not full, so never cached), a
//     project's tail page and the project list: these go through the framework (Nest, Express,
//     helmet, pino-http, validation) and the database on every request; their baseline is a bare
//     node:http server with a pg Pool running the same queries and serialization
//     (bench/public-read-bare.mjs, which imports the API's own code from dist);
//   - a full page (`GET /public/v1/records?limit=100`), which the API's edge replays before the
//     framework; its baseline is a bare node:http server sending the very same bytes.
// Every server runs as a process of its own; autocannon drives each in turn, alternating, with
// keep-alive connections, as a CDN or many browsers would.
//   npm run bench:read   (BENCH_SECONDS per turn, default 5; BENCH_CONNECTIONS, default 16;
//   BENCH_ONLY=records,projects to measure some endpoints only)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { castProject, fmt, freePort, sleep, startSystem, verdict, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ONLY = process.env.BENCH_ONLY?.split(',');
const TURNS = 2;
const TARGET = 0.5;
const REPORTS = 40; // each a few public records: a full page of 100 and a tail
const TAIL = 80;
const EXTRA_PROJECTS = 19; // a project list of 20
/** Headers that belong to one exchange or to one body: the bare servers make their own. */
const PER_RESPONSE = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'x-request-id',
  'etag',
  'content-length',
]);

const load = (url) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS, pipelining: 1 }, (err, result) =>
      err ? reject(err) : resolve(result),
    ),
  );

async function child(args, file = 'public-read-bare.mjs') {
  const proc = spawn(process.execPath, [join(import.meta.dirname, file), ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => {
    proc.once('message', resolve);
    proc.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
  });
  return proc;
}

/** A node:http server that answers every request with the captured response (and its own request id). */
async function startReplay(dataDir, captured) {
  const file = join(dataDir, 'bare-response.json');
  writeFileSync(file, JSON.stringify(captured));
  const port = await freePort();
  const script = `
    const { createServer } = require('node:http');
    const { randomUUID } = require('node:crypto');
    const { status, headers, body } = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'));
    const bytes = Buffer.from(body, 'base64');
    createServer((req, res) => { res.writeHead(status, { ...headers, 'x-request-id': randomUUID() }); res.end(bytes); }).listen(${port}, '127.0.0.1', () => process.send('ready'));
  `;
  const proc = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve) => proc.once('message', resolve));
  return { base: `http://127.0.0.1:${port}`, stop: () => proc.kill() };
}

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

async function main() {
  const system = await startSystem();
  const stops = [];
  try {
    const cast = await castProject(system);
    for (let i = 0; i < REPORTS; i++) {
      const report = await system.call(
        'POST',
        `/api/v1/projects/${cast.project.id}/reports`,
        cast.contractor.token,
        { kind: 'design_change', title: `Public read ${i}`, amount: { value: 1000 + i, currency: 'KRW' } },
      );
      for (const who of [cast.supervisor, cast.officer, cast.head])
        await system.call('POST', `/api/v1/reports/${report.id}/decisions`, who.token, { action: 'approve' });
    }
    for (let i = 0; i < EXTRA_PROJECTS; i++)
      await system.call('POST', '/api/v1/projects', cast.admin, {
        code: `BENCH-LIST-${String(i).padStart(2, '0')}`,
        title: `Listed project ${i}`,
        agencyOrganizationId: cast.project.agencyOrganizationId,
      });
    await sleep(500);
    // The tail: the last TAIL records, a page that is not full, so never cached.
    const { treeHead } = await (await fetch(`${system.base}/public/v1/log`)).json();
    const after = treeHead.treeSize - 1 - TAIL;

    const endpoints = [
      {
        name: 'records',
        route: 'records',
        path: `/public/v1/records?after=${after}&limit=100`,
        through: 'framework',
      },
      {
        name: 'projectRecords',
        route: 'projectRecords',
        path: `/public/v1/projects/${cast.project.code}/records?after=${after}&limit=100`,
        through: 'framework',
      },
      { name: 'projects', route: 'projects', path: '/public/v1/projects?limit=50', through: 'framework' },
      { name: 'fullPage', route: 'records', path: '/public/v1/records?limit=100', through: 'edge cache' },
    ].filter((e) => !ONLY || ONLY.includes(e.name));

    // The API's constant headers per route, and what each endpoint sends.
    const constant = {};
    for (const e of endpoints) {
      const { res, body } = await fetchBytes(`${system.base}${e.path}`);
      e.bytes = body.length;
      e.items = JSON.parse(body.toString()).items.length;
      const wantFull = e.through === 'edge cache';
      if ((res.headers.get('cache-control') ?? '').includes('immutable') !== wantFull)
        throw new Error(`${e.path}: expected ${wantFull ? 'an immutable' : 'a tail'} page`);
      const headers = {};
      for (const [name, value] of res.headers) if (!PER_RESPONSE.has(name)) headers[name] = value;
      if (e.through === 'framework') constant[e.route] = headers;
      else {
        headers['content-length'] = String(body.length);
        headers.etag = res.headers.get('etag');
        const replay = await startReplay(system.dataDir, {
          status: 200,
          headers,
          body: body.toString('base64'),
        });
        stops.push(replay.stop);
        e.bareBase = replay.base;
      }
    }
    const headersFile = join(system.dataDir, 'bare-headers.json');
    writeFileSync(headersFile, JSON.stringify(constant));
    const secrets = JSON.parse(readFileSync(join(system.dataDir, 'secrets.json'), 'utf8'));
    const barePort = await freePort();
    const bare = await child([String(barePort), system.databaseUrl(secrets.postgresPassword), headersFile]);
    stops.push(() => bare.kill());
    for (const e of endpoints) {
      e.bareBase ??= `http://127.0.0.1:${barePort}`;
      // The baseline must send what the API sends.
      const [api, base] = await Promise.all([
        fetchBytes(`${system.base}${e.path}`),
        fetchBytes(`${e.bareBase}${e.path}`),
      ]);
      if (!api.body.equals(base.body) || api.res.headers.get('etag') !== base.res.headers.get('etag'))
        throw new Error(`${e.path}: the baseline's response differs from the API's`);
      const names = (r) => [...r.headers.keys()].sort().join(',');
      if (names(api.res) !== names(base.res))
        throw new Error(`${e.path}: headers differ: ${names(api.res)} / ${names(base.res)}`);
    }

    const results = {};
    for (const e of endpoints) {
      const totals = {
        api: { requests: 0, seconds: 0, p50: [], p99: [] },
        bare: { requests: 0, seconds: 0, p50: [], p99: [] },
      };
      await load(`${system.base}${e.path}`); // warm-up
      await load(`${e.bareBase}${e.path}`);
      for (let turn = 0; turn < TURNS; turn++) {
        for (const [mode, base] of [
          ['api', system.base],
          ['bare', e.bareBase],
        ]) {
          const r = await load(`${base}${e.path}`);
          if (r.non2xx > 0 || r.errors > 0)
            throw new Error(`${mode}: ${r.non2xx} non-2xx, ${r.errors} errors`);
          totals[mode].requests += r.requests.total;
          totals[mode].seconds += r.duration;
          totals[mode].p50.push(r.latency.p50);
          totals[mode].p99.push(r.latency.p99);
        }
      }
      const summary = (t) => ({
        requestsPerSecond: t.requests / t.seconds,
        latencyMs: { p50: Math.max(...t.p50), p99: Math.max(...t.p99) },
      });
      const api = summary(totals.api);
      const bareSummary = summary(totals.bare);
      const ratio = api.requestsPerSecond / bareSummary.requestsPerSecond;
      results[e.name] = {
        path: e.path,
        through: e.through,
        items: e.items,
        responseBytes: e.bytes,
        baseline:
          e.through === 'framework'
            ? 'bare node:http + pg Pool, same queries and serialization'
            : 'bare node:http sending the same bytes',
        api,
        bare: bareSummary,
        ratio,
        met: ratio >= TARGET,
      };
    }

    writeResult('public-read', {
      // The machine's load (1, 5, 15 min) when the figures were taken: ratios hold on a busy
      // machine only as far as both sides are disturbed alike.
      loadAverage: Object.fromEntries(
        ['oneMinute', 'fiveMinutes', 'fifteenMinutes'].map((name, i) => [
          name,
          Number(loadavg()[i].toFixed(1)),
        ]),
      ),
      connections: CONNECTIONS,
      secondsPerMode: SECONDS * TURNS,
      endpoints: results,
      target: { ratioAtLeast: TARGET, met: Object.values(results).every((r) => r.met) },
    });
    console.log(
      `public read: ${CONNECTIONS} connections, ${SECONDS * TURNS} s per server and endpoint (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    for (const r of Object.values(results)) {
      console.log(`  GET ${r.path} (${r.items} items, ${r.responseBytes} bytes, ${r.through})`);
      for (const [name, s] of [
        ['OpenCCS API', r.api],
        ['bare', r.bare],
      ]) {
        console.log(
          `    ${name.padEnd(12)} ${fmt(s.requestsPerSecond, 0)} req/s   p50 ${fmt(s.latencyMs.p50)} ms   p99 ${fmt(s.latencyMs.p99)} ms`,
        );
      }
      console.log(`    ratio API/bare ${r.ratio.toFixed(2)}   (target ≥ ${TARGET}: ${verdict(r.met)})`);
    }
  } finally {
    for (const stop of stops) stop();
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
