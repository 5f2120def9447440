// Disclosure lag: how long from a decision being sent until its public record is readable.
// Runs the built system (`npm start`'s launcher) on free ports with a data dir of its own,
// drives it over HTTP like any client, prints p50/p99, and writes bench/results/disclosure-lag.json.
// The baseline, measured in the same run, is the decision request's own latency.
//   npm run bench:lag            (BENCH_REPORTS=<n> to change the sample, default 40)
import { castProject, pct, sleep, startSystem, writeResult } from './lib.mjs';

const N = Number(process.env.BENCH_REPORTS ?? 40);

async function main() {
  const system = await startSystem();
  const { base, call } = system;
  try {
    const { admin, project, contractor, supervisor } = await castProject(system);
    await call('PUT', `/api/v1/projects/${project.id}/approval-lines/inspection_request`, admin, {
      steps: [{ key: 'review', name: 'Review', assigneeRole: 'supervisor', mode: 'any', sla: 'PT72H' }],
    });

    const decision = [];
    const lag = [];
    let after = -1;
    for (let i = 0; i < N; i++) {
      const report = await call('POST', `/api/v1/projects/${project.id}/reports`, contractor.token, {
        kind: 'inspection_request',
        title: `Bench ${i}`,
      });
      const sent = performance.now();
      await call('POST', `/api/v1/reports/${report.id}/decisions`, supervisor.token, { action: 'approve' });
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
    const results = writeResult('disclosure-lag', {
      samples: N,
      lagMs: { p50: pct(lag, 50), p99: pct(lag, 99), max: Math.max(...lag) },
      baselineDecisionMs: { p50: pct(decision, 50), p99: pct(decision, 99) },
      ratioP50: pct(lag, 50) / pct(decision, 50),
      target: { lagP99Ms: 2000, met: pct(lag, 99) < 2000 },
    });
    const f = (n) => n.toFixed(1).padStart(8);
    console.log(`disclosure lag over ${N} decisions (decision sent -> public record readable)`);
    console.log(
      `  lag        p50 ${f(results.lagMs.p50)} ms   p99 ${f(results.lagMs.p99)} ms   (target p99 < 2000 ms: ${results.target.met ? 'met' : 'MISSED'})`,
    );
    console.log(
      `  baseline   p50 ${f(results.baselineDecisionMs.p50)} ms   p99 ${f(results.baselineDecisionMs.p99)} ms   (the decision request alone)`,
    );
    console.log(`  ratio      lag/decision at p50: ${results.ratioP50.toFixed(2)}`);

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
    writeResult('page-weight', { pages: weight });
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
