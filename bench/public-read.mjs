// Public read: GET /public/v1/records (a page of 100 disclosure records) under load, against a
// bare node:http server sending the very same bytes and headers, in the same run. Both servers
// run as processes of their own; autocannon drives each in turn, alternating, with keep-alive
// connections, as a CDN or many browsers would.
//   npm run bench:read   (BENCH_SECONDS per turn, default 5; BENCH_CONNECTIONS, default 16)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { castProject, fmt, freePort, sleep, startSystem, verdict, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TURNS = 2;
const TARGET = 0.5;
const PATH = '/public/v1/records?limit=100';

const load = (url) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS, pipelining: 1 }, (err, result) =>
      err ? reject(err) : resolve(result),
    ),
  );

/** A node:http server that answers every request with the captured response. */
async function startBare(dataDir, captured) {
  const file = join(dataDir, 'bare-response.json');
  writeFileSync(file, JSON.stringify(captured));
  const port = await freePort();
  const script = `
    const { createServer } = require('node:http');
    const { status, headers, body } = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'));
    const bytes = Buffer.from(body, 'base64');
    createServer((req, res) => { res.writeHead(status, headers); res.end(bytes); }).listen(${port}, '127.0.0.1', () => process.send('ready'));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}${PATH}`, stop: () => child.kill() };
}

async function main() {
  const system = await startSystem();
  let bare;
  try {
    const cast = await castProject(system);
    // A log with a full first page: 40 design changes, three public steps each.
    for (let i = 0; i < 40; i++) {
      const report = await system.call(
        'POST',
        `/api/v1/projects/${cast.project.id}/reports`,
        cast.contractor.token,
        {
          kind: 'design_change',
          title: `Public read ${i}`,
          amount: { value: 1000 + i, currency: 'KRW' },
        },
      );
      for (const who of [cast.supervisor, cast.officer, cast.head])
        await system.call('POST', `/api/v1/reports/${report.id}/decisions`, who.token, { action: 'approve' });
    }
    await sleep(500);
    const res = await fetch(`${system.base}${PATH}`);
    const body = Buffer.from(await res.arrayBuffer());
    const headers = {};
    for (const name of ['content-type', 'etag', 'cache-control', 'x-content-type-options'])
      if (res.headers.get(name)) headers[name] = res.headers.get(name);
    headers['content-length'] = String(body.length);
    bare = await startBare(system.dataDir, { status: res.status, headers, body: body.toString('base64') });

    const totals = {
      api: { requests: 0, seconds: 0, p50: [], p99: [] },
      bare: { requests: 0, seconds: 0, p50: [], p99: [] },
    };
    await load(`${system.base}${PATH}`); // warm-up
    for (let turn = 0; turn < TURNS; turn++) {
      for (const [mode, url] of [
        ['api', `${system.base}${PATH}`],
        ['bare', bare.url],
      ]) {
        const r = await load(url);
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${mode}: ${r.non2xx} non-2xx, ${r.errors} errors`);
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
    writeResult('public-read', {
      path: PATH,
      responseBytes: body.length,
      connections: CONNECTIONS,
      secondsPerMode: SECONDS * TURNS,
      api,
      bareNodeHttp: bareSummary,
      ratio,
      target: { ratioAtLeast: TARGET, met: ratio >= TARGET },
    });
    console.log(
      `public read: GET ${PATH} (${body.length} bytes), ${CONNECTIONS} connections, ${SECONDS * TURNS} s each`,
    );
    for (const [name, s] of [
      ['OpenCCS API', api],
      ['bare node:http', bareSummary],
    ]) {
      console.log(
        `  ${name.padEnd(15)} ${fmt(s.requestsPerSecond, 0)} req/s   p50 ${fmt(s.latencyMs.p50)} ms   p99 ${fmt(s.latencyMs.p99)} ms`,
      );
    }
    console.log(`  ratio API/bare ${ratio.toFixed(2)}   (target ≥ ${TARGET}: ${verdict(ratio >= TARGET)})`);
  } finally {
    bare?.stop();
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
