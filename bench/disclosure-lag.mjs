// Disclosure lag: how long from a decision being sent until its public record is readable.
// Runs the built system (`npm start`'s launcher) on free ports with a data dir of its own,
// drives it over HTTP like any client, prints p50/p99, and writes bench/results/disclosure-lag.json.
// The baseline, measured in the same run, is the decision request's own latency.
//   npm run bench:lag            (BENCH_REPORTS=<n> to change the sample, default 40)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const N = Number(process.env.BENCH_REPORTS ?? 40);
const PASSWORD = 'bench-admin-password-1';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'openccs-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    OPENCCS_DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: '0',
    EMBEDDED_PG_PORT: String(await freePort()),
    ADMIN_PASSWORD: PASSWORD,
    OPENCCS_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
  };
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'JWT_SECRET', 'LOG_SIGNING_KEY']) delete env[k];
  const stack = spawn(process.execPath, [join(ROOT, 'dist/apps/launcher/src/main.js')], {
    env,
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (let i = 0; ; i++) {
      if (i > 240) throw new Error('the system did not become ready');
      if (
        await fetch(`${base}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(250);
    }
    const call = async (method, path, token, body) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const json = await res.json().catch(() => undefined);
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const login = async (username, password) =>
      (await call('POST', '/api/v1/auth/token', null, { username, password })).accessToken;
    const admin = await login('admin', PASSWORD);
    const org = (name, kind) => call('POST', '/api/v1/organizations', admin, { name, kind });
    const agency = await org('Bench Agency', 'agency');
    const builder = await org('Bench Builder', 'contractor');
    const supervision = await org('Bench Supervision', 'supervisor');
    const project = await call('POST', '/api/v1/projects', admin, {
      code: 'BENCH-1',
      title: 'Benchmark project',
      agencyOrganizationId: agency.id,
    });
    const person = async (username, organizationId, role) => {
      const user = await call('POST', '/api/v1/users', admin, {
        username,
        password: PASSWORD,
        displayName: username,
        organizationId,
      });
      await call('PUT', `/api/v1/projects/${project.id}/members/${user.id}`, admin, { role });
      return login(username, PASSWORD);
    };
    const contractor = await person('bench.contractor', builder.id, 'contractor');
    const supervisor = await person('bench.supervisor', supervision.id, 'supervisor');
    await call('PUT', `/api/v1/projects/${project.id}/approval-lines/inspection_request`, admin, {
      steps: [{ key: 'review', name: 'Review', assigneeRole: 'supervisor', mode: 'any', sla: 'PT72H' }],
    });

    const decision = [];
    const lag = [];
    let after = -1;
    for (let i = 0; i < N; i++) {
      const report = await call('POST', `/api/v1/projects/${project.id}/reports`, contractor, {
        kind: 'inspection_request',
        title: `Bench ${i}`,
      });
      const sent = performance.now();
      await call('POST', `/api/v1/reports/${report.id}/decisions`, supervisor, { action: 'approve' });
      decision.push(performance.now() - sent);
      for (;;) {
        const page = await call('GET', `/public/v1/records?limit=100${after >= 0 ? `&after=${after}` : ''}`);
        const mine = page.items.find((r) => r.report.id === report.id);
        if (mine) {
          lag.push(performance.now() - sent);
          after = mine.seq;
          break;
        }
        await sleep(5);
      }
    }
    const sortedLag = [...lag].sort((a, b) => a - b);
    const sortedDecision = [...decision].sort((a, b) => a - b);
    const results = {
      benchmark: 'disclosure-lag',
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      samples: N,
      lagMs: { p50: pct(sortedLag, 50), p99: pct(sortedLag, 99), max: sortedLag.at(-1) },
      baselineDecisionMs: { p50: pct(sortedDecision, 50), p99: pct(sortedDecision, 99) },
      ratioP50: pct(sortedLag, 50) / pct(sortedDecision, 50),
      target: { lagP99Ms: 2000, met: pct(sortedLag, 99) < 2000 },
    };
    const f = (n) => n.toFixed(1).padStart(8);
    console.log(`disclosure lag over ${N} decisions (decision sent -> public record readable)`);
    console.log(
      `  lag        p50 ${f(results.lagMs.p50)} ms   p99 ${f(results.lagMs.p99)} ms   (target p99 < 2000 ms: ${results.target.met ? 'met' : 'MISSED'})`,
    );
    console.log(
      `  baseline   p50 ${f(results.baselineDecisionMs.p50)} ms   p99 ${f(results.baselineDecisionMs.p99)} ms   (the decision request alone)`,
    );
    console.log(`  ratio      lag/decision at p50: ${results.ratioP50.toFixed(2)}`);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/disclosure-lag.json'), JSON.stringify(results, null, 2) + '\n');

    // Portal page weight: every byte a citizen's browser downloads for each page (HTML and the
    // assets it loads), against the same data as public-API JSON, the baseline of this run.
    const bytes = async (path) => {
      const res = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'identity' } });
      return (await res.arrayBuffer()).byteLength;
    };
    const assets = (await bytes('/portal/assets/portal.css')) + (await bytes('/portal/assets/favicon.svg'));
    const script = await bytes('/portal/assets/verify.js');
    const pages = {
      home: { html: await bytes('/?lang=en'), assets, json: await bytes('/public/v1/projects') },
      project: {
        html: await bytes('/projects/BENCH-1?lang=ko'),
        assets,
        json:
          (await bytes('/public/v1/projects/BENCH-1')) +
          (await bytes('/public/v1/projects/BENCH-1/records?limit=1000')),
      },
      record: {
        html: await bytes(`/records/${after}?lang=ar`),
        assets: assets + script,
        json: await bytes(`/public/v1/log/inclusion?seq=${after}`),
      },
    };
    const weight = Object.fromEntries(
      Object.entries(pages).map(([name, p]) => [
        name,
        { ...p, totalBytes: p.html + p.assets, ratioToJson: (p.html + p.assets) / p.json },
      ]),
    );
    console.log('portal page weight (HTML + assets, uncompressed; baseline: the same data as JSON)');
    for (const [name, w] of Object.entries(weight)) {
      console.log(
        `  ${name.padEnd(8)} ${String(w.totalBytes).padStart(7)} bytes   JSON ${String(w.json).padStart(7)} bytes   ratio ${w.ratioToJson.toFixed(2)}`,
      );
    }
    writeFileSync(
      join(ROOT, 'bench/results/page-weight.json'),
      JSON.stringify(
        { benchmark: 'page-weight', at: new Date().toISOString(), machine: results.machine, pages: weight },
        null,
        2,
      ) + '\n',
    );
  } finally {
    try {
      process.kill(-stack.pid, 'SIGTERM');
    } catch {}
    await new Promise((r) => stack.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
