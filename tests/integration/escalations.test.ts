/**
 * Deadlines on the real dev server with second-scale SLAs: reminders, an escalation that reaches
 * the agency head and nobody else, and each way of resolving it.
 */
import { asAdmin, createUser, type User } from '../support/factories';
import { http } from '../support/http';
import { escalatingLine } from '../support/escalation-scenario';
import { until } from '../support/until';
import { closeDb, db } from '../support/db';
import { castProject, type Cast } from '../support/scenario';

type Report = {
  id: string;
  status: string;
  currentStep: string | null;
  steps: Array<{ key: string; status: string; assignees: string[]; dueAt: string }>;
  decisions: Array<{
    action: string;
    actorId: string;
    comment: string | null;
    onBehalf?: { justification: string } | null;
  }>;
};
type Escalation = {
  id: string;
  reportId: string;
  stepKey: string;
  toRole: string;
  status: string;
  level: number;
};

let cast: Cast;
beforeAll(async () => {
  cast = await castProject();
  const res = await escalatingLine(cast.project.id, { token: await asAdmin(), sla: 'PT3S' });
  expect(res.status).toBe(200);
});
afterAll(closeDb);

const submit = async (title: string) =>
  (
    await http<Report>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      token: cast.contractor.token,
      body: { kind: 'inspection_request', title },
    })
  ).body;

const openEscalations = (user: User) =>
  http<{ items: Escalation[] }>('GET', '/api/v1/escalations?status=open', { token: user.token }).then(
    (r) => r.body.items,
  );

const escalationOf = (user: User, reportId: string) =>
  until(`the escalation of ${reportId}`, async () =>
    (await openEscalations(user)).find((e) => e.reportId === reportId),
  );

const resolve = (user: User, id: string, body: Record<string, unknown>) =>
  http<{ escalation: Escalation; report: Report }>('POST', `/api/v1/escalations/${id}/resolve`, {
    token: user.token,
    body,
  });

it('escalates an overdue step to the agency head and nobody else; extend moves the deadline an hour ahead', async () => {
  const report = await submit('Overdue inspection');
  const escalation = await escalationOf(cast.head, report.id);
  expect(escalation).toMatchObject({
    stepKey: 'supervisor_review',
    toRole: 'agency_head',
    level: 0,
    status: 'open',
  });
  for (const other of [cast.supervisor, cast.officer, cast.contractor, cast.outsider]) {
    expect((await openEscalations(other)).map((e) => e.reportId)).not.toContain(report.id);
  }

  const noJustification = await resolve(cast.head, escalation.id, { action: 'extend', extendBy: 'PT1H' });
  expect(noJustification.status).toBe(400);
  expect(noJustification.body).toMatchObject({ errors: [{ field: 'justification' }] });
  const notHandler = await resolve(cast.officer, escalation.id, {
    action: 'extend',
    extendBy: 'PT1H',
    justification: 'x',
  });
  expect(notHandler.status).toBe(403);
  const noExtendBy = await resolve(cast.head, escalation.id, { action: 'extend', justification: 'Rain' });
  expect(noExtendBy.status).toBe(400);

  const before = Date.parse(report.steps[0]?.dueAt ?? '');
  const extended = await resolve(cast.head, escalation.id, {
    action: 'extend',
    extendBy: 'PT1H',
    justification: 'Heavy rain closed the site for the day',
  });
  expect(extended.status).toBe(200);
  expect(extended.body.escalation).toMatchObject({ status: 'resolved' });
  expect(Date.parse(extended.body.report.steps[0]?.dueAt ?? '') - before).toBe(3_600_000);
  expect((await openEscalations(cast.head)).map((e) => e.reportId)).not.toContain(report.id);
  // The justification is on the report itself.
  const onReport = await http<{
    steps: Array<{
      escalations: Array<{ status: string; resolution: { action: string; justification: string } }>;
    }>;
  }>('GET', `/api/v1/reports/${report.id}`, { token: cast.contractor.token });
  expect(onReport.body.steps[0]?.escalations).toEqual([
    expect.objectContaining({
      status: 'resolved',
      resolution: expect.objectContaining({
        action: 'extend',
        justification: 'Heavy rain closed the site for the day',
      }),
    }),
  ]);
  const twice = await resolve(cast.head, escalation.id, {
    action: 'extend',
    extendBy: 'PT1H',
    justification: 'again',
  });
  expect(twice.status).toBe(409);

  const { rows } = await db().query(
    `SELECT details FROM audit_events WHERE subject_id = $1 AND action = 'report.escalation_resolve'`,
    [report.id],
  );
  expect(rows).toEqual([
    {
      details: expect.objectContaining({
        resolution: 'extend',
        justification: 'Heavy rain closed the site for the day',
      }),
    },
  ]);
});

it('decides on behalf: approve closes the step, and the justification is on the report', async () => {
  const report = await submit('Overdue inspection, decided on behalf');
  const escalation = await escalationOf(cast.head, report.id);
  const approved = await resolve(cast.head, escalation.id, {
    action: 'approve',
    justification: 'Supervisor on leave; the inspection record was checked by the agency',
  });
  expect(approved.status).toBe(200);
  expect(approved.body.report).toMatchObject({ status: 'approved', currentStep: null });
  const read = await http<Report>('GET', `/api/v1/reports/${report.id}`, { token: cast.contractor.token });
  expect(read.body.steps[0]?.status).toBe('approved');
  expect(read.body.decisions).toEqual([
    expect.objectContaining({
      action: 'approve',
      actorId: cast.head.id,
      comment: 'Supervisor on leave; the inspection record was checked by the agency',
      onBehalf: expect.objectContaining({
        justification: 'Supervisor on leave; the inspection record was checked by the agency',
      }),
    }),
  ]);
});

it('reassigns the step to another member of its role', async () => {
  const report = await submit('Overdue inspection, reassigned');
  const escalation = await escalationOf(cast.head, report.id);
  const wrongRole = await resolve(cast.head, escalation.id, {
    action: 'reassign',
    toUserId: cast.officer.id,
    justification: 'x',
  });
  expect(wrongRole.status).toBe(422);
  const newcomer = await createUser({ id: cast.supervisor.organizationId, name: '', kind: 'supervisor' });
  await http('PUT', `/api/v1/projects/${cast.project.id}/members/${newcomer.id}`, {
    token: await asAdmin(),
    body: { role: 'supervisor' },
  });
  const reassigned = await resolve(cast.head, escalation.id, {
    action: 'reassign',
    toUserId: newcomer.id,
    justification: 'Both supervisors are on another site this week',
  });
  expect(reassigned.status).toBe(200);
  expect(reassigned.body.report.steps[0]?.assignees).toEqual([newcomer.id]);
  const done = await http<Report>('POST', `/api/v1/reports/${report.id}/decisions`, {
    token: newcomer.token,
    body: { action: 'approve' },
  });
  expect(done.body.status).toBe('approved');
});

it('notifies: assignment and reminder to the assignees, escalation to the head, decision to the submitter', async () => {
  const report = await submit('Notified inspection');
  await escalationOf(cast.head, report.id);
  const kinds = async (user: User) => {
    const res = await http<{
      items: Array<{ kind: string; reportId: string; id: string; readAt: string | null }>;
    }>('GET', '/api/v1/notifications?limit=200', { token: user.token });
    return res.body.items.filter((n) => n.reportId === report.id);
  };
  const supervisorNotes = await until('the reminder', async () => {
    const notes = await kinds(cast.supervisor);
    return notes.some((n) => n.kind === 'reminder') ? notes : undefined;
  });
  expect(supervisorNotes.map((n) => n.kind).sort()).toEqual(['assignment', 'reminder', 'reminder']);
  // The escalation is projected a moment before its notification is stored: wait for the latter.
  const headNotes = await until('the escalation notice', async () => {
    const notes = await kinds(cast.head);
    return notes.length > 0 ? notes : undefined;
  });
  expect(headNotes.map((n) => n.kind)).toEqual(['escalation']);
  await http('POST', `/api/v1/reports/${report.id}/decisions`, {
    token: cast.supervisor.token,
    body: { action: 'approve' },
  });
  const submitterNotes = await until('the decision notice', async () => {
    const notes = await kinds(cast.contractor);
    return notes.length > 0 ? notes : undefined;
  });
  expect(submitterNotes.map((n) => n.kind)).toEqual(['decision']);

  const first = supervisorNotes[0] as { id: string };
  const read = await http<{ readAt: string | null }>('POST', `/api/v1/notifications/${first.id}/read`, {
    token: cast.supervisor.token,
  });
  expect(read.body.readAt).toEqual(expect.any(String));
  const unread = await http<{ items: Array<{ id: string }> }>(
    'GET',
    '/api/v1/notifications?unread=true&limit=200',
    {
      token: cast.supervisor.token,
    },
  );
  expect(unread.body.items.map((n) => n.id)).not.toContain(first.id);
  expect(
    (await http('POST', `/api/v1/notifications/${first.id}/read`, { token: cast.contractor.token })).status,
  ).toBe(404);
});
