// Approval throughput: design changes through the three-step line (supervisor, officer, head),
// submitted and decided over the HTTP API, against the same flow driven directly with the
// Temporal client (the API's own ReportWorkflows calls, without HTTP, auth, validation, the
// Idempotency-Key store or the membership checks) in the same run, on the same workflow, worker
// and database. Rounds alternate API and bare so that drift hits both alike.
// Before the loaded rounds, an unloaded phase sends one request at a time (submission, then each
// decision) and reports their p50s: what one user waits. Then the history of one report shows
// what a decision costs the workflow: workflow tasks, activities and local activities.
//   npm run bench:throughput   (BENCH_REPORTS per round, default 24; BENCH_CONCURRENCY, default 8;
//                               BENCH_SEQUENTIAL reports one at a time, default 12)
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { castProject, fmt, pct, ROOT, startSystem, verdict, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const { Client, Connection } = require('@temporalio/client');
const { REPORT_COMMANDS, reportWorkflowId } = require(`${ROOT}dist/libs/contracts/src/index.js`);
const { CALENDAR_TIME, snapshotOf } = require(`${ROOT}dist/libs/domain/src/index.js`);
const { kindOf, loadProfile } = require(`${ROOT}dist/libs/profile/src/index.js`);
// The bare client submits what the API would: the default profile's line and kind.
const DESIGN_CHANGE = kindOf(loadProfile('seoul'), 'design_change');
const { ReportWorkflows } = require(`${ROOT}dist/apps/api/src/temporal/report-workflows.js`);

const PER_ROUND = Number(process.env.BENCH_REPORTS ?? 24);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 12);
const ROUNDS = 2;
const TARGET = 0.8;
const UNLOADED_TARGET_MS = 100;

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

/**
 * What one report's workflow did, from its history: workflow tasks, activities (each a round trip
 * through the Temporal server) and local activities (run inside a workflow task), in total and
 * per command (the submission and each decision).
 */
async function profile(client, workflowId, commands) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const count = (attr) => events.filter((e) => e[attr] != null).length;
  const total = {
    events: events.length,
    workflowTasks: count('workflowTaskCompletedEventAttributes'),
    activities: count('activityTaskScheduledEventAttributes'),
    localActivities: events.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    ).length,
  };
  const per = Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / commands]));
  return { total, perCommand: per };
}

async function main() {
  const system = await startSystem();
  const connection = await Connection.connect({ address: system.temporalAddress });
  try {
    const cast = await castProject(system);
    const steps = [cast.supervisor, cast.officer, cast.head];
    const latency = { api: [], bare: [] };
    const submitted = { api: [], bare: [] };
    let lastReport = { api: null, bare: null };
    const elapsed = { api: 0, bare: 0 };

    const viaApi = async (i) => {
      const posted = performance.now();
      const report = await system.call(
        'POST',
        `/api/v1/projects/${cast.project.id}/reports`,
        cast.contractor.token,
        body(i),
        {
          'idempotency-key': randomUUID(),
        },
      );
      submitted.api.push(performance.now() - posted);
      lastReport.api = report.id;
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

    const workflows = new ReportWorkflows({
      client: new Client({ connection, dataConverter: system.dataConverter() }),
      taskQueue: 'openccs',
    });
    const viaClient = async (i) => {
      const { kind, title, body: content, amount } = body(i);
      const posted = performance.now();
      const state = await workflows.start({
        submission: {
          reportId: randomUUID(),
          projectId: cast.project.id,
          kind,
          submitterId: cast.contractor.id,
          lineVersion: 1,
          line: [...DESIGN_CHANGE.line],
          kindSnapshot: snapshotOf(DESIGN_CHANGE),
          title,
          body: content,
          publicSummary: null,
          amount,
          timing: { basis: CALENDAR_TIME, reminderPoints: [0.5, 0.9] },
        },
        requestId: null,
      });
      submitted.bare.push(performance.now() - posted);
      lastReport.bare = state.reportId;
      for (const who of steps) {
        const sent = performance.now();
        await workflows.command(state, REPORT_COMMANDS.decide, {
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
    const reset = () => {
      for (const list of [latency.api, latency.bare, submitted.api, submitted.bare]) list.length = 0;
    };
    reset();
    // Unloaded: one request at a time, API and bare alternating report by report.
    for (let i = 0; i < SEQUENTIAL; i++) {
      await viaApi(1000 + i);
      await viaClient(1000 + i);
    }
    const unloadedOf = (mode) => ({
      reports: SEQUENTIAL,
      submissionP50Ms: pct(submitted[mode], 50),
      decisionP50Ms: pct(latency[mode], 50),
      decisionP99Ms: pct(latency[mode], 99),
    });
    const unloaded = { api: unloadedOf('api'), bare: unloadedOf('bare') };
    const historyProfile = await profile(
      new Client({ connection, dataConverter: system.dataConverter() }),
      reportWorkflowId(lastReport.bare),
      1 + steps.length,
    );
    reset();
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
    const cores = cpus().length;
    const unloadedMet =
      unloaded.api.decisionP50Ms < UNLOADED_TARGET_MS && unloaded.api.submissionP50Ms < UNLOADED_TARGET_MS;
    writeResult('approval-throughput', {
      reports,
      concurrency: CONCURRENCY,
      line: 'design_change: supervisor_review → agency_officer_approval → agency_head_decision',
      api,
      bareTemporalClient: bare,
      ratio,
      approvalsPerSecondPerCore: {
        api: api.decisionsPerSecond / cores,
        bare: bare.decisionsPerSecond / cores,
      },
      unloaded,
      historyProfile,
      target: {
        ratioAtLeast: TARGET,
        met: ratio >= TARGET,
        unloadedP50BelowMs: UNLOADED_TARGET_MS,
        unloadedMet,
      },
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
    console.log(
      `  approvals per core (${cores} cores): HTTP API ${fmt(api.decisionsPerSecond / cores, 2)}/s   bare client ${fmt(bare.decisionsPerSecond / cores, 2)}/s`,
    );
    console.log(`unloaded: ${SEQUENTIAL} design changes, one request at a time`);
    for (const [name, u] of [
      ['HTTP API', unloaded.api],
      ['bare client', unloaded.bare],
    ]) {
      console.log(
        `  ${name.padEnd(12)} submission p50 ${fmt(u.submissionP50Ms)} ms   decision p50 ${fmt(u.decisionP50Ms)} ms   p99 ${fmt(u.decisionP99Ms)} ms`,
      );
    }
    console.log(
      `  ratio API/bare decision p50 ${(unloaded.api.decisionP50Ms / unloaded.bare.decisionP50Ms).toFixed(2)}   (target p50 < ${UNLOADED_TARGET_MS} ms over HTTP: ${verdict(unloadedMet)})`,
    );
    const h = historyProfile.perCommand;
    console.log(
      `history per command (submission or decision): ${h.workflowTasks.toFixed(2)} workflow tasks, ${h.activities.toFixed(2)} activities, ${h.localActivities.toFixed(2)} local activities, ${h.events.toFixed(1)} events`,
    );
  } catch (err) {
    console.error(err); // before the connection closes under a retrying call
    throw err;
  } finally {
    await connection.close();
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
