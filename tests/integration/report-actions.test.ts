/** The remaining actions and guarantees: delegation that succeeds, reject, search attributes, stale projections. */
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '@openccs/contracts';
import { addDuration, type ReportState } from '@openccs/domain';
import { WORKING_CALENDAR } from '../support/profile';
import { createDataSource, ReportsRepository } from '@openccs/persistence';
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

it('refuses synchronously in the update validator: a refused decision adds nothing to the history', async () => {
  const report = (await submit({ kind: 'inspection_request', title: 'History stays clean' })).body;
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  try {
    const handle = new Client({ connection, dataConverter: testDataConverter() }).workflow.getHandle(
      `report:${report.id}`,
    );
    const before = (await handle.fetchHistory()).events?.length;
    const refused = await post(`/api/v1/reports/${report.id}/decisions`, cast.officer.token, {
      action: 'approve',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'decision.not_assignee',
      detail: expect.stringContaining('Supervisor review'),
    });
    expect((await handle.fetchHistory()).events?.length).toBe(before);
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
