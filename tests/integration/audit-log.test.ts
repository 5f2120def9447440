/** The audit log as an auditor reads it: every change to a report, newest first, with who and which request. */
import { createOrganization, createUser } from '../support/factories';
import { http } from '../support/http';
import { castProject } from '../support/scenario';

type Page = {
  items: Array<{
    id: string;
    action: string;
    actorUserId: string | null;
    requestId: string | null;
    subjectId: string;
  }>;
  nextCursor: string | null;
};

it('shows an auditor every change to a report, newest first, page by page', async () => {
  const cast = await castProject();
  const auditor = await createUser(await createOrganization('agency'), 'auditor');
  const submitted = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'inspection_request', title: 'Audit trail' },
    headers: { 'x-request-id': 'audit-submit-1' },
  });
  await http('POST', `/api/v1/reports/${submitted.body.id}/decisions`, {
    token: cast.supervisor.token,
    body: { action: 'approve' },
    headers: { 'x-request-id': 'audit-decide-1' },
  });
  const path = `/api/v1/audit-events?subjectType=report&subjectId=${submitted.body.id}`;
  const all = await http<Page>('GET', path, { token: auditor.token });
  expect(all.status).toBe(200);
  expect(all.body.items.map((e) => [e.action, e.actorUserId, e.requestId])).toEqual([
    ['report.decide', cast.supervisor.id, 'audit-decide-1'],
    ['report.submit', cast.contractor.id, 'audit-submit-1'],
  ]);
  const first = await http<Page>('GET', `${path}&limit=1`, { token: auditor.token });
  expect(first.body.items.map((e) => e.action)).toEqual(['report.decide']);
  const second = await http<Page>('GET', `${path}&limit=1&cursor=${first.body.nextCursor ?? ''}`, {
    token: auditor.token,
  });
  expect(second.body.items.map((e) => e.action)).toEqual(['report.submit']);
  const byActor = await http<Page>('GET', `/api/v1/audit-events?actorUserId=${cast.supervisor.id}`, {
    token: auditor.token,
  });
  expect(byActor.body.items.every((e) => e.actorUserId === cast.supervisor.id)).toBe(true);
  expect((await http('GET', '/api/v1/audit-events?cursor=abc', { token: auditor.token })).status).toBe(400);
  expect((await http('GET', path, { token: cast.head.token })).status).toBe(403);
});
