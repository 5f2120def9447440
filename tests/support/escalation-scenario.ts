/**
 * Issue 4's "must show", as a client that knows only the contract would run it against a
 * running system: a 3-second SLA escalates to the agency head and nobody else; a resolution
 * needs a justification; extend moves the deadline; approve on behalf closes the step.
 */
import { http } from './http';
import type { DesignChangeCast } from './design-change';

type Report = {
  id: string;
  status: string;
  steps: Array<{ status: string; dueAt: string }>;
  decisions: Array<{ comment: string | null; onBehalf?: { justification: string } | null }>;
};
type Escalation = { id: string; reportId: string };

/**
 * Gives the project's inspection requests one supervisor step with a short `sla` that escalates
 * to the agency head at once: an escalation within seconds.
 */
export function escalatingLine(projectId: string, options: { token: string; sla: string; base?: string }) {
  return http('PUT', `/api/v1/projects/${projectId}/approval-lines/inspection_request`, {
    ...(options.base ? { base: options.base } : {}),
    token: options.token,
    body: {
      steps: [
        {
          key: 'supervisor_review',
          name: 'Supervisor review',
          assigneeRole: 'supervisor',
          mode: 'any',
          sla: options.sla,
          escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
        },
      ],
    },
  });
}

export async function runEscalationScenario(
  base: string,
  admin: string,
  projectId: string,
  p: DesignChangeCast,
): Promise<void> {
  const line = await escalatingLine(projectId, { base, token: admin, sla: 'PT3S' });
  expect(line.status).toBe(200);
  const submit = async (title: string) =>
    (
      await http<Report>('POST', `/api/v1/projects/${projectId}/reports`, {
        base,
        token: p.contractor,
        body: { kind: 'inspection_request', title },
      })
    ).body;
  const open = async (token: string) =>
    (await http<{ items: Escalation[] }>('GET', '/api/v1/escalations?status=open', { base, token })).body
      .items;
  const escalationOf = async (reportId: string): Promise<Escalation> => {
    for (let i = 0; i < 100; i++) {
      const found = (await open(p.head)).find((e) => e.reportId === reportId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no escalation for ${reportId} within 20 s`);
  };
  const resolve = (id: string, body: Record<string, unknown>) =>
    http<{ report: Report }>('POST', `/api/v1/escalations/${id}/resolve`, { base, token: p.head, body });

  const first = await submit('Overdue formwork inspection');
  const escalation = await escalationOf(first.id);
  for (const token of [p.supervisor, p.officer, p.contractor]) {
    expect((await open(token)).map((e) => e.reportId)).not.toContain(first.id);
  }
  expect((await resolve(escalation.id, { action: 'extend', extendBy: 'PT1H' })).status).toBe(400);
  const extended = await resolve(escalation.id, {
    action: 'extend',
    extendBy: 'PT1H',
    justification: 'Concrete supplier strike',
  });
  expect(extended.status).toBe(200);
  expect(
    Date.parse(extended.body.report.steps[0]?.dueAt ?? '') - Date.parse(first.steps[0]?.dueAt ?? ''),
  ).toBe(3_600_000);

  const second = await submit('Overdue rebar inspection');
  const onBehalf = await resolve((await escalationOf(second.id)).id, {
    action: 'approve',
    justification: 'Checked by the agency from the site photographs',
  });
  expect(onBehalf.status).toBe(200);
  const read = await http<Report>('GET', `/api/v1/reports/${second.id}`, { base, token: p.contractor });
  expect(read.body.steps[0]?.status).toBe('approved');
  expect(read.body.decisions[0]?.onBehalf?.justification).toBe(
    'Checked by the agency from the site photographs',
  );
}
