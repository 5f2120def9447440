/** The remaining actions and guarantees: delegation that succeeds, reject, search attributes, stale projections. */
import { Client, Connection } from '@temporalio/client';
import { ReportActivitiesService } from '@openccs/activities';
import { SEARCH_ATTRIBUTES, type ReportEvent } from '@openccs/contracts';
import { addDuration, type ReportState } from '@openccs/domain';
import { WORKING_CALENDAR } from '../support/profile';
import {
  AuditLogRepository,
  createDataSource,
  ProjectsRepository,
  ReportsRepository,
  WorkflowProblemsRepository,
} from '@openccs/persistence';
import { addMember, asAdmin, createUser } from '../support/factories';
import { http } from '../support/http';
import { closeDb } from '../support/db';
import { castProject, type Cast } from '../support/scenario';
import { testDataConverter } from '../support/temporal';

type Report = {
  id: string;
  status: string;
  currentStep: string | null;
  version: number;
  steps: Array<{ key: string; status: string; assignees: string[] }>;
};

let cast: Cast;
beforeAll(async () => {
  cast = await castProject();
});
afterAll(closeDb);

const submit = (body: Record<string, unknown>) =>
  http<Report>('POST', `/api/v1/projects/${cast.project.id}/reports`, { token: cast.contractor.token, body });
const post = (path: string, token: string, body: Record<string, unknown> = {}) =>
  http<Report>('POST', path, { token, body });

it('delegates an open step to a member who joined the role after it opened, who then decides', async () => {
  const report = (await submit({ kind: 'inspection_request', title: 'Anchor bolt inspection' })).body;
  const newcomer = await createUser({ id: cast.supervisor.organizationId, name: '', kind: 'supervisor' });
  await addMember(cast.project, newcomer, 'supervisor');
  expect(report.steps[0]?.assignees).not.toContain(newcomer.id);

  const delegated = await post(`/api/v1/reports/${report.id}/delegations`, cast.supervisor.token, {
    toUserId: newcomer.id,
  });
  expect(delegated.status).toBe(200);
  expect(delegated.body.steps[0]?.assignees.sort()).toEqual([cast.supervisor2.id, newcomer.id].sort());
  expect(
    (await post(`/api/v1/reports/${report.id}/decisions`, cast.supervisor.token, { action: 'approve' }))
      .status,
  ).toBe(403);
  const inbox = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/inbox', {
    token: newcomer.token,
  });
  expect(inbox.body.items.map((i) => i.reportId)).toContain(report.id);
  const decided = await post(`/api/v1/reports/${report.id}/decisions`, newcomer.token, { action: 'approve' });
  expect(decided.body.status).toBe('approved');
});

it('rejects: the report ends rejected and the rest of the line is skipped', async () => {
  const report = (await submit({ kind: 'material_approval', title: 'Imported asphalt binder' })).body;
  const rejected = await post(`/api/v1/reports/${report.id}/decisions`, cast.supervisor2.token, {
    action: 'reject',
    comment: 'Certificate of origin missing',
  });
  expect(rejected.body.status).toBe('rejected');
  expect(rejected.body.steps.map((s) => s.status)).toEqual(['rejected', 'skipped']);
  expect((await post(`/api/v1/reports/${report.id}/resubmit`, cast.contractor.token)).status).toBe(409);
  expect((await post(`/api/v1/reports/${report.id}/withdraw`, cast.contractor.token)).status).toBe(409);
});

it('keeps the search attributes current, so Temporal visibility can find reports by step and assignee', async () => {
  const report = (await submit({ kind: 'inspection_request', title: 'Visibility check' })).body;
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, dataConverter: testDataConverter() });
    const find = async (query: string) => {
      for (let i = 0; i < 40; i++) {
        const ids: string[] = [];
        for await (const w of client.workflow.list({ query })) ids.push(w.workflowId);
        if (ids.length > 0) return ids;
        await new Promise((r) => setTimeout(r, 250));
      }
      return [];
    };
    const { projectId, reportKind, reportStatus, currentStep, assignees } = SEARCH_ATTRIBUTES;
    expect(
      await find(
        `${projectId.name} = "${cast.project.id}" AND ${reportKind.name} = "inspection_request" AND ${reportStatus.name} = "in_review" AND ${currentStep.name} = "supervisor_review" AND ${assignees.name} = "${cast.supervisor.id}"`,
      ),
    ).toEqual([`report:${report.id}`]);
    await post(`/api/v1/reports/${report.id}/decisions`, cast.supervisor.token, { action: 'approve' });
    expect(
      await find(
        `${reportStatus.name} = "approved" AND ${projectId.name} = "${cast.project.id}" AND WorkflowId = "report:${report.id}"`,
      ),
    ).toEqual([`report:${report.id}`]);
  } finally {
    await connection.close();
  }
});

it('ignores a projection older than the stored one, so a late retry never moves a report backwards', async () => {
  const report = (await submit({ kind: 'inspection_request', title: 'Stale projection' })).body;
  const approved = (
    await post(`/api/v1/reports/${report.id}/decisions`, cast.supervisor.token, { action: 'approve' })
  ).body;
  const ds = await createDataSource(process.env.DATABASE_URL ?? '', 'openccs-test').initialize();
  try {
    const repo = new ReportsRepository(ds);
    const stored = await repo.findById(report.id);
    const stale: ReportState = {
      ...(stored?.state as ReportState),
      status: 'in_review',
      version: report.version,
    };
    const event = {
      actorUserId: null,
      action: 'test',
      subjectType: 'report',
      subjectId: report.id,
      requestId: null,
    };
    expect(await repo.project(stale, event)).toBe(false);
    expect((await repo.findById(report.id))?.state).toMatchObject({
      status: 'approved',
      version: approved.version,
    });
  } finally {
    await ds.destroy();
  }
});

it('a projection run again after its workflow task was lost adopts what the first attempt stored', async () => {
  // A local activity commits, then the worker dies before its workflow task completes: the next
  // worker applies the same change again, with its own clock. It must not write a second audit
  // event, and it takes the stored state (the one the public record was made from) as its own.
  const report = (await submit({ kind: 'inspection_request', title: 'Lost workflow task' })).body;
  const ds = await createDataSource(process.env.DATABASE_URL ?? '', 'openccs-test').initialize();
  try {
    const reports = new ReportsRepository(ds);
    const activities = new ReportActivitiesService(
      new ProjectsRepository(ds),
      reports,
      new WorkflowProblemsRepository(ds),
      new AuditLogRepository(ds),
    );
    const stored = (await reports.findById(report.id))?.state as ReportState;
    const event = (at: string): ReportEvent => ({
      action: 'report.withdraw',
      actorId: stored.submitterId,
      requestId: null,
      details: { at },
    });
    const first: ReportState = {
      ...stored,
      version: stored.version + 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const again: ReportState = { ...first, updatedAt: '2026-01-01T00:00:10.000Z' };
    expect(await activities.projectReportOnce(first, event('first'))).toEqual(first);
    expect(await activities.projectReportOnce(again, event('again'))).toEqual(first);
    // Another change at that version (not the lost one) is not adopted: the stored version stands.
    const other = { ...event('other'), actorId: cast.supervisor.id };
    expect(await activities.projectReportOnce(again, other)).toEqual(again);
    const audited = await ds.query(
      `SELECT details->>'at' AS at FROM audit_events
        WHERE subject_type = 'report' AND subject_id = $1 AND details->>'version' = $2`,
      [report.id, String(first.version)],
    );
    expect(audited).toEqual([{ at: 'first' }]);
    expect((await reports.findById(report.id))?.state).toEqual(first);
  } finally {
    await ds.destroy();
  }
});

it('refuses synchronously in the update validator: a refused decision adds nothing to the history', async () => {
  const report = (await submit({ kind: 'inspection_request', title: 'History stays clean' })).body;
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  try {
    const handle = new Client({ connection, dataConverter: testDataConverter() }).workflow.getHandle(
      `report:${report.id}`,
    );
    const events = async () => (await handle.fetchHistory()).events ?? [];
    const refuse = () =>
      post(`/api/v1/reports/${report.id}/decisions`, cast.officer.token, { action: 'approve' });
    const before = (await events()).length;
    const refused = await refuse();
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'decision.not_assignee',
      detail: expect.stringContaining('Supervisor review'),
    });
    // The submission's workflow task wrote more than 10 events (patch markers, local activities),
    // past which the server keeps even an empty workflow task that only refused an update: it may
    // write that task's own three events, never an update, a command or a change of state.
    const after = await events();
    expect(
      after
        .slice(before)
        .filter(
          (e) =>
            !e.workflowTaskScheduledEventAttributes &&
            !e.workflowTaskStartedEventAttributes &&
            !e.workflowTaskCompletedEventAttributes,
        ),
    ).toEqual([]);
    expect(after.length - before).toBeLessThanOrEqual(3);
    // From then on, a refusal leaves no trace at all.
    expect((await refuse()).status).toBe(403);
    expect((await events()).length).toBe(after.length);
  } finally {
    await connection.close();
  }
});

it('counts deadlines in working time for a project that asks for it (Korean calendar by default)', async () => {
  const admin = await asAdmin();
  const project = await http<{ id: string; code: string; deadlineBasis: string }>(
    'POST',
    '/api/v1/projects',
    {
      token: admin,
      body: {
        code: `WT-${Date.now()}`,
        title: 'Working-time project',
        agencyOrganizationId: cast.agency.id,
        deadlineBasis: 'working',
      },
    },
  );
  expect(project.body.deadlineBasis).toBe('working');
  for (const [user, role] of [
    [cast.contractor, 'contractor'],
    [cast.supervisor, 'supervisor'],
  ] as const) {
    await http('PUT', `/api/v1/projects/${project.body.id}/members/${user.id}`, {
      token: admin,
      body: { role },
    });
  }
  const report = await http<{ steps: Array<{ openedAt: string; dueAt: string }> }>(
    'POST',
    `/api/v1/projects/${project.body.id}/reports`,
    { token: cast.contractor.token, body: { kind: 'inspection_request', title: 'Working-time inspection' } },
  );
  const step = report.body.steps[0];
  // The default inspection line gives the supervisor PT48H: 48 working hours in the KR calendar.
  expect(step?.dueAt).toBe(
    addDuration(step?.openedAt ?? '', 48 * 3600, { kind: 'working', calendar: WORKING_CALENDAR }),
  );
  expect(Date.parse(step?.dueAt ?? '') - Date.parse(step?.openedAt ?? '')).toBeGreaterThan(
    5 * 24 * 3600 * 1000,
  );
});
