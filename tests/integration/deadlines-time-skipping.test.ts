/**
 * Reminder and escalation chains over days, on the time-skipping test server: time is skipped,
 * never slept. The worker runs the real workflow and the real activities against PostgreSQL.
 * (Updates do not trigger automatic time skipping — sdk-typescript#1549 — so time is moved
 * explicitly with env.sleep and the state observed through the query.)
 */
import { NestFactory } from '@nestjs/core';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { INestApplicationContext } from '@nestjs/common';
import { bindActivities } from '@openccs/activities';
import { loadConfig } from '@openccs/config';
import {
  REPORT_WORKFLOW,
  reportStateQuery,
  reportWorkflowId,
  resolveEscalationUpdate,
  submittedUpdate,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import { resolveTemporalTestServer } from '@openccs/devstack';
import { CALENDAR_TIME, type ReportState, type StepTemplate } from '@openccs/domain';
import { workflowSource } from '../../apps/worker/src/workflow-source';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { closeDb, db } from '../support/db';
import { kindSnapshot, profile } from '../support/profile';
import { until } from '../support/until';
import { castProject, type Cast } from '../support/scenario';

const TASK_QUEUE = 'deadlines-time-skipping';
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let app: INestApplicationContext;
let worker: Worker;
let running: Promise<void>;
let cast: Cast;

beforeAll(async () => {
  cast = await castProject();
  const server = resolveTemporalTestServer({
    explicit: process.env.TEMPORAL_TEST_SERVER || undefined,
    log: console.log,
  });
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable:
        server.kind === 'path'
          ? { type: 'existing-path', path: server.path }
          : { type: 'cached-download', downloadDir: server.downloadDir },
    },
  });
  const config = loadConfig('worker', { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
  app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, profile), { logger: false });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    activities: bindActivities(app),
    ...workflowSource(),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await app?.close();
  await env?.teardown();
  await closeDb();
});

const line: StepTemplate[] = [
  {
    key: 'supervisor_review',
    name: 'Supervisor review',
    assigneeRole: 'supervisor',
    mode: 'any',
    sla: 'PT72H',
    escalation: [
      { after: 'PT0S', toRole: 'agency_officer' },
      { after: 'P1D', toRole: 'agency_head' },
    ],
    public: true,
  },
];

const notificationsOf = async (reportId: string) => {
  const { rows } = await db().query<{ kind: string; user_id: string }>(
    `SELECT kind, user_id FROM notifications WHERE report_id = $1 ORDER BY created_at, kind`,
    [reportId],
  );
  return rows;
};

it('reminds at half and nine tenths of the SLA, then escalates level by level, and an extension re-arms it all', async () => {
  const reportId = crypto.randomUUID();
  const input: ReportWorkflowInput = {
    requestId: null,
    // The time-skipping server knows no custom search attributes (no operator service);
    // indexing is covered on the dev server (report-actions.test.ts).
    indexInVisibility: false,
    submission: {
      reportId,
      projectId: cast.project.id,
      kind: 'inspection_request',
      kindSnapshot: kindSnapshot('inspection_request'),
      submitterId: cast.contractor.id,
      lineVersion: 1,
      line,
      title: 'Long-running inspection',
      body: {},
      publicSummary: null,
      amount: null,
      timing: { basis: CALENDAR_TIME, reminderPoints: [0.5, 0.9] },
    },
  };
  const handle = await env.client.workflow.start(REPORT_WORKFLOW, {
    workflowId: reportWorkflowId(reportId),
    taskQueue: TASK_QUEUE,
    args: [input],
  });
  const state = () => handle.query(reportStateQuery);
  const opened = await handle.executeUpdate(submittedUpdate); // resolves once the first step is open
  const step = () => state().then((s: ReportState) => s.steps[0]);
  const start = Date.parse(opened.steps[0]?.openedAt ?? '');
  expect(Date.parse(opened.steps[0]?.dueAt ?? '') - start).toBe(72 * HOUR);

  await env.sleep('35h');
  expect((await step())?.reminders).toHaveLength(0);
  await env.sleep('2h'); // 37 h: past half of 72 h
  expect((await step())?.reminders.map((r) => r.fraction)).toEqual([0.5]);
  await env.sleep('28h'); // 65 h: past nine tenths (64.8 h)
  expect((await step())?.reminders.map((r) => r.fraction)).toEqual([0.5, 0.9]);
  expect((await step())?.escalations).toHaveLength(0);

  await env.sleep('8h'); // 73 h: overdue, level 0 to the officers
  expect((await step())?.escalations.map((e) => [e.level, e.toRole])).toEqual([[0, 'agency_officer']]);
  await env.sleep('22h'); // 95 h: still only level 0
  expect((await step())?.escalations).toHaveLength(1);
  await env.sleep('2h'); // 97 h: past deadline + 1 day, level 1 to the head
  const escalations = (await step())?.escalations ?? [];
  expect(escalations.map((e) => [e.level, e.toRole, e.status])).toEqual([
    [0, 'agency_officer', 'open'],
    [1, 'agency_head', 'open'],
  ]);

  // The query shows a fired timer at once; its notifications are stored by the activities that follow.
  const notes = await until('the escalation notices', async () => {
    const rows = await notificationsOf(reportId);
    return rows.filter((n) => n.kind === 'escalation').length === 3 ? rows : undefined;
  });
  const count = (kind: string) => notes.filter((n) => n.kind === kind).length;
  expect(count('assignment')).toBe(2); // both supervisors
  expect(count('reminder')).toBe(4); // two reminders, two supervisors
  expect(count('escalation')).toBe(3); // two officers, then the head
  expect(
    notes
      .filter((n) => n.kind === 'escalation')
      .map((n) => n.user_id)
      .sort(),
  ).toEqual([cast.officer.id, cast.officer2.id, cast.head.id].sort());

  // The head extends by two days: both escalations close, the deadline moves, the chain re-arms.
  const extended = await handle.executeUpdate(resolveEscalationUpdate, {
    args: [
      {
        escalationId: escalations[1]?.id ?? '',
        actorId: cast.head.id,
        actorRole: 'agency_head',
        action: 'extend',
        extendBy: 'P2D',
        justification: 'Typhoon warning: site closed',
        requestKey: 'extend-1',
        requestId: null,
      },
    ],
  });
  const after = extended.steps[0];
  expect(Date.parse(after?.dueAt ?? '') - start).toBe((72 + 48) * HOUR);
  expect(after?.escalations.every((e) => e.status === 'resolved')).toBe(true);
  await env.sleep('24h'); // 121 h: one hour past the new deadline (120 h)
  expect(
    (await step())?.escalations.filter((e) => e.status === 'open').map((e) => [e.level, e.generation]),
  ).toEqual([[0, 1]]);

  await handle.executeUpdate(resolveEscalationUpdate, {
    args: [
      {
        escalationId: (await step())?.escalations.find((e) => e.status === 'open')?.id ?? '',
        actorId: cast.officer.id,
        actorRole: 'agency_officer',
        action: 'approve',
        justification: 'Inspection record reviewed by the agency',
        requestKey: 'approve-1',
        requestId: null,
      },
    ],
  });
  expect(await handle.result()).toMatchObject({ status: 'approved' });
}, 120_000);
