// Growth: the public read paths with 10 thousand and with 1 million disclosure records, and the
// Temporal worker's memory per 1,000 open reports.
// Records are generated in PostgreSQL from a real record (one per step of a real design change),
// spread over 100 projects; they are realistic rows for the read paths, not a signed log (the
// verifier would reject them, so nothing here runs it). Every timed request asks for a page no
// earlier request asked for, so the public edge's cache of full pages answers none of them: the
// figures are the database path.
//   npm run bench:growth   (BENCH_GROWTH_MAX, default 1000000; BENCH_OPEN_REPORTS, default 1000)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { castProject, fmt, pct, startSystem, verdict, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_GROWTH_MAX ?? 1_000_000);
const OPEN_REPORTS = Number(process.env.BENCH_OPEN_REPORTS ?? 1000);
const PROJECTS = 100;
const SAMPLES = 200;
const TARGET = 1.5;

async function generate(db, upTo) {
  const { rows } = await db.query('SELECT coalesce(max(seq), -1)::bigint AS last FROM disclosure_records');
  const template = (await db.query('SELECT record, tree_head FROM disclosure_records ORDER BY seq LIMIT 1'))
    .rows[0];
  for (let from = Number(rows[0].last) + 1; from < upTo; from += 100_000) {
    const to = Math.min(upTo - 1, from + 99_999);
    await db.query(
      `WITH ps AS (SELECT id, code, title, (row_number() OVER (ORDER BY code) - 1)::int AS n
                     FROM projects WHERE code LIKE 'GROWTH-%')
       INSERT INTO disclosure_records (seq, id, idempotency_key, project_id, report_id, record, canonical,
                                       leaf_hash, tree_head, published_at)
       SELECT g, gen_random_uuid(), 'growth:' || g, ps.id, gen_random_uuid(), r.rec, r.rec::text,
              encode(sha256(convert_to(g::text, 'UTF8')), 'hex'), $3::jsonb, now()
         FROM generate_series($1::bigint, $2::bigint) g
         JOIN ps ON ps.n = g % ${PROJECTS}
        CROSS JOIN LATERAL (SELECT jsonb_set(jsonb_set($4::jsonb, '{seq}', to_jsonb(g)), '{project}',
                                             jsonb_build_object('code', ps.code, 'title', ps.title)) AS rec) r`,
      [from, to, JSON.stringify(template.tree_head), JSON.stringify(template.record)],
    );
    process.stdout.write(`\r  generated ${to + 1} records`);
  }
  process.stdout.write('\n');
  await db.query('VACUUM ANALYZE disclosure_records');
}

/** Sequential requests, each for a page nobody asked for before; returns p50/p99 in ms. */
async function timeRequests(base, pathFor, samples) {
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const path = pathFor(i);
    const started = performance.now();
    const res = await fetch(`${base}${path}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    latencies.push(performance.now() - started);
  }
  return { p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

async function measure(system, size, used, samples = SAMPLES) {
  // A random position not used before (so the edge's cache never holds the page), early enough
  // that the page is full at both sizes: the same bytes are compared.
  const fresh = (span) => {
    for (;;) {
      const after = Math.floor(Math.random() * (size - span));
      if (!used.has(after)) {
        used.add(after);
        return after;
      }
    }
  };
  const code = (i) => `GROWTH-${String(i % PROJECTS).padStart(4, '0')}`;
  return {
    projectList: await timeRequests(
      system.base,
      (i) => `/public/v1/projects?limit=50&q=GROWTH&agency=${i % 2 ? 'Agency' : 'agency'}`,
      samples,
    ),
    projectRecords: await timeRequests(
      system.base,
      (i) => `/public/v1/projects/${code(i)}/records?limit=50&after=${fresh(50 * PROJECTS + PROJECTS)}`,
      samples,
    ),
    logRecords: await timeRequests(
      system.base,
      () => `/public/v1/records?limit=100&after=${fresh(100)}`,
      samples,
    ),
  };
}

function workerRss(launcherPid) {
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(launcherPid)], {
    encoding: 'utf8',
  });
  const line = children.split('\n').find((l) => l.includes('worker/src/main.js'));
  if (!line) throw new Error('worker process not found');
  const status = readFileSync(`/proc/${line.trim().split(/\s+/)[0]}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const system = await startSystem();
  const secrets = JSON.parse(readFileSync(join(system.dataDir, 'secrets.json'), 'utf8'));
  const db = new Client({ connectionString: system.databaseUrl(secrets.postgresPassword) });
  await db.connect();
  try {
    const cast = await castProject(system);
    // One real design change: its three records are the template of every generated one.
    const report = await system.call(
      'POST',
      `/api/v1/projects/${cast.project.id}/reports`,
      cast.contractor.token,
      {
        kind: 'design_change',
        title: 'Template design change',
        amount: { value: 250_000_000, currency: 'KRW' },
      },
    );
    for (const who of [cast.supervisor, cast.officer, cast.head])
      await system.call('POST', `/api/v1/reports/${report.id}/decisions`, who.token, { action: 'approve' });
    await db.query(
      `INSERT INTO projects (code, title, agency_organization_id, location, status)
       SELECT 'GROWTH-' || lpad(n::text, 4, '0'), 'Growth project ' || n, p.agency_organization_id, 'Seoul', 'in_progress'
         FROM generate_series(0, ${PROJECTS - 1}) n, projects p WHERE p.id = $1`,
      [cast.project.id],
    );

    const used = new Set();
    console.log(`growth: ${SMALL} records`);
    await generate(db, SMALL);
    await measure(system, SMALL, used, 40); // warm-up: the API's code paths compiled, pools filled
    const small = await measure(system, SMALL, used);
    console.log(`growth: ${LARGE} records`);
    const generating = performance.now();
    await generate(db, LARGE);
    const generatedSeconds = (performance.now() - generating) / 1000;
    const large = await measure(system, LARGE, used);

    // Worker memory: reports left open at their first step, each a workflow with its timers.
    const before = workerRss(system.pid);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < OPEN_REPORTS) {
          const i = next++;
          await system.call('POST', `/api/v1/projects/${cast.project.id}/reports`, cast.contractor.token, {
            kind: 'inspection_request',
            title: `Open report ${i}`,
          });
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 5_000));
    const after = workerRss(system.pid);
    const perThousandMiB = ((after - before) * 1000) / OPEN_REPORTS;

    const rows = Object.keys(small).map((name) => ({
      name,
      small: small[name],
      large: large[name],
      ratioP50: large[name].p50 / small[name].p50,
    }));
    const met = rows.every((r) => r.ratioP50 <= TARGET);
    writeResult('growth', {
      records: { small: SMALL, large: LARGE, projects: PROJECTS, generatedSeconds },
      samplesPerFigure: SAMPLES,
      latencyMs: Object.fromEntries(
        rows.map((r) => [r.name, { small: r.small, large: r.large, ratioP50: r.ratioP50 }]),
      ),
      workerMemory: {
        openReports: OPEN_REPORTS,
        rssBeforeMiB: before,
        rssAfterMiB: after,
        perThousandOpenReportsMiB: perThousandMiB,
      },
      target: { largeOverSmallAtMost: TARGET, met },
    });
    console.log(
      `growth: public reads with ${SMALL} and ${LARGE} records (p50 / p99 ms, ${SAMPLES} requests each)`,
    );
    for (const r of rows) {
      console.log(
        `  ${r.name.padEnd(15)} ${fmt(r.small.p50)} / ${fmt(r.small.p99)}   ${fmt(r.large.p50)} / ${fmt(r.large.p99)}   ratio p50 ${r.ratioP50.toFixed(2)} (target ≤ ${TARGET}: ${verdict(r.ratioP50 <= TARGET)})`,
      );
    }
    console.log(
      `  worker memory   ${before.toFixed(0)} MiB → ${after.toFixed(0)} MiB with ${OPEN_REPORTS} open reports: ${perThousandMiB.toFixed(1)} MiB per 1,000`,
    );
  } finally {
    await db.end();
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
