// What /metrics costs every other request: the same trivial node:http handler, bare and behind
// the API's HTTP instrumentation (request histogram by route, /metrics in front), driven in turn
// by autocannon, alternating, in this one process and run. Printed as a ratio to the bare
// server, the baseline of the same run; a trivial handler is the worst case (a real request
// costs far more than the instrumentation's few microseconds).
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Histogram, Registry } = require('prom-client');
const { installHttpInstrumentation } = require(
  join(ROOT, 'dist/apps/api/src/metrics/http-instrumentation.js'),
);

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function server(instrumented) {
  const s = createServer((req, res) => {
    // What Express leaves on a routed request.
    req.route = { path: '/public/v1/projects/:code' };
    res.end('ok');
  });
  if (instrumented) {
    const registry = new Registry();
    const httpDuration = new Histogram({
      name: 'openccs_http_request_duration_seconds',
      help: 'bench',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    installHttpInstrumentation(s, {
      metrics: { registry, httpDuration },
      metricsToken: undefined,
      tracer: undefined,
    });
  }
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

const run = (url) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: 10, duration: SECONDS }, (err, r) =>
      err ? reject(err) : resolve(r.requests.average),
    ),
  );

const bare = await server(false);
const instrumented = await server(true);
const rps = { bare: [], instrumented: [] };
for (let i = 0; i < ROUNDS; i++) {
  rps.bare.push(await run(`http://127.0.0.1:${bare.address().port}/public/v1/projects/X`));
  rps.instrumented.push(await run(`http://127.0.0.1:${instrumented.address().port}/public/v1/projects/X`));
}
bare.close();
instrumented.close();
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ratio = mean(rps.instrumented) / mean(rps.bare);
const result = writeResult('metrics-overhead', {
  requestsPerSecond: { bare: Math.round(mean(rps.bare)), instrumented: Math.round(mean(rps.instrumented)) },
  ratio: Number(ratio.toFixed(3)),
});
console.log(
  `trivial handler: bare ${result.requestsPerSecond.bare} req/s, instrumented ${result.requestsPerSecond.instrumented} req/s: ratio ${result.ratio}`,
);
