// Approval throughput: design changes through the three-step line (supervisor, officer, head),
// submitted and decided over the HTTP API, against the same flow driven directly with the
// Temporal client (the API's own ReportWorkflows calls, without HTTP, auth, validation, the
// Idempotency-Key store or the membership checks) in the same run, on the same workflow, worker
// and database. Rounds alternate API and bare so that drift hits both alike.
//   npm run bench:throughput   (BENCH_REPORTS per round, default 24; BENCH_CONCURRENCY, default 8)
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { castProject, fmt, pct, ROOT, startSystem, verdict, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const { Client, Connection } = require('@temporalio/client');
const { decideUpdate } = require(`${ROOT}dist/libs/contracts/src/index.js`);
const { CALENDAR_TIME, DEFAULT_APPROVAL_LINES } = require(`${ROOT}dist/libs/domain/src/index.js`);
const { ReportWorkflows } = require(`${ROOT}dist/apps/api/src/temporal/report-workflows.js`);

const PER_ROUND = Number(process.env.BENCH_REPORTS ?? 24);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = 2;
const TARGET = 0.8;

const body = (i) => ({
  kind: 'design_change',
  title: `Bench design change ${i}`,
  body: { changeType: 'drainage' },
  amount: { value: 1_000_000 + i, currency: 'KRW' },
});

/** Runs `flow` for `count` reports, `CONCURRENCY` at a time; returns the elapsed seconds. */
async function drive(count, flow) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await flow(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function main() {
  const system = await startSystem();
  const connection = await Connection.connect({ address: system.temporalAddress });
  try {
    const cast = await castProject(system);
    const steps = [cast.supervisor, cast.officer, cast.head];
    const latency = { api: [], bare: [] };
    const elapsed = { api: 0, bare: 0 };

    const viaApi = async (i) => {
      const report = await system.call(
        'POST',
        `/api/v1/projects/${cast.project.id}/reports`,
        cast.contractor.token,
        body(i),
        {
          'idempotency-key': randomUUID(),
        },
      );
      for (const who of steps) {
        const sent = performance.now();
        await system.call(
          'POST',
          `/api/v1/reports/${report.id}/decisions`,
          who.token,
          { action: 'approve' },
          {
            'idempotency-key': randomUUID(),
          },
        );
        latency.api.push(performance.now() - sent);
      }
    };

    const workflows = new ReportWorkflows({ client: new Client({ connection }), taskQueue: 'openccs' });
    const viaClient = async (i) => {
      const { kind, title, body: content, amount } = body(i);
      const state = await workflows.start({
        submission: {
          reportId: randomUUID(),
          projectId: cast.project.id,
          kind,
          submitterId: cast.contractor.id,
          lineVersion: 1,
          line: [...DEFAULT_APPROVAL_LINES[kind]],
          title,
          body: content,
          publicSummary: null,
          amount,
          timing: { basis: CALENDAR_TIME, reminderPoints: [0.5, 0.9] },
        },
        requestId: null,
      });
      for (const who of steps) {
        const sent = performance.now();
        await workflows.command(state.reportId, decideUpdate, {
          actorId: who.id,
          action: 'approve',
          comment: null,
          requestKey: randomUUID(),
          requestId: null,
        });
        latency.bare.push(performance.now() - sent);
      }
    };

    await drive(4, viaApi); // warm-up: JIT, connection pools, the worker's caches
    await drive(4, viaClient);
    latency.api.length = 0;
    latency.bare.length = 0;
    for (let round = 0; round < ROUNDS; round++) {
      elapsed.api += await drive(PER_ROUND, viaApi);
      elapsed.bare += await drive(PER_ROUND, viaClient);
    }
    const reports = PER_ROUND * ROUNDS;
    const summary = (mode) => ({
      reportsPerSecond: reports / elapsed[mode],
      decisionsPerSecond: (reports * steps.length) / elapsed[mode],
      decisionLatencyMs: { p50: pct(latency[mode], 50), p99: pct(latency[mode], 99) },
    });
    const api = summary('api');
    const bare = summary('bare');
    const ratio = api.reportsPerSecond / bare.reportsPerSecond;
    writeResult('approval-throughput', {
      reports,
      concurrency: CONCURRENCY,
      line: 'design_change: supervisor_review → agency_officer_approval → agency_head_decision',
      api,
      bareTemporalClient: bare,
      ratio,
      target: { ratioAtLeast: TARGET, met: ratio >= TARGET },
    });
    console.log(`approval throughput: ${reports} design changes × 3 decisions, ${CONCURRENCY} at a time`);
    for (const [name, s] of [
      ['HTTP API', api],
      ['bare client', bare],
    ]) {
      console.log(
        `  ${name.padEnd(12)} ${fmt(s.reportsPerSecond, 2)} reports/s ${fmt(s.decisionsPerSecond, 2)} decisions/s   decision p50 ${fmt(s.decisionLatencyMs.p50)} ms   p99 ${fmt(s.decisionLatencyMs.p99)} ms`,
      );
    }
    console.log(`  ratio API/bare ${ratio.toFixed(2)}   (target ≥ ${TARGET}: ${verdict(ratio >= TARGET)})`);
  } finally {
    await connection.close();
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
