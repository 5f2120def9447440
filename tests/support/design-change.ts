/**
 * Issue 3's "must show", as a client that knows only PRODUCT.md would run it against a running
 * system: a design change refused to the wrong people, returned, resubmitted and approved.
 */
import { randomUUID } from 'node:crypto';
import { http } from './http';

export interface DesignChangeCast {
  contractor: string;
  supervisor: string;
  officer: string;
  head: string;
}

/** Creates the four people (as the admin) and returns their tokens. */
export async function castDesignChange(
  base: string,
  admin: string,
  agencyId: string,
  contractorOrgId: string,
  projectId: string,
): Promise<DesignChangeCast> {
  const supervision = await http<{ id: string }>('POST', '/api/v1/organizations', {
    base,
    token: admin,
    body: { name: `Supervision ${randomUUID().slice(0, 6)}`, kind: 'supervisor' },
  });
  const people = [
    ['contractor', contractorOrgId, 'contractor'],
    ['supervisor', supervision.body.id, 'supervisor'],
    ['officer', agencyId, 'agency_officer'],
    ['head', agencyId, 'agency_head'],
  ] as const;
  const tokens: Record<string, string> = {};
  for (const [name, organizationId, role] of people) {
    const username = `${name}.${randomUUID().slice(0, 6)}`;
    const password = `${name}-password-2026`;
    const user = await http<{ id: string }>('POST', '/api/v1/users', {
      base,
      token: admin,
      body: { username, password, displayName: `Demo ${name}`, organizationId },
    });
    expect(user.status).toBe(201);
    expect(
      (
        await http('PUT', `/api/v1/projects/${projectId}/members/${user.body.id}`, {
          base,
          token: admin,
          body: { role },
        })
      ).status,
    ).toBe(200);
    tokens[name] = (
      await http<{ accessToken: string }>('POST', '/api/v1/auth/token', {
        base,
        body: { username, password },
      })
    ).body.accessToken;
  }
  return tokens as unknown as DesignChangeCast;
}

/** Runs the scenario, asserting each answer; returns the approved report's id. */
export async function runDesignChangeScenario(
  base: string,
  projectId: string,
  p: DesignChangeCast,
): Promise<string> {
  const key = randomUUID();
  const body = {
    kind: 'design_change',
    title: 'Deck drainage redesign',
    body: { reason: 'Outlet clash with utility duct' },
    publicSummary: 'Deck drainage outlets are moved.',
    amount: { value: 38_500_000, currency: 'KRW' },
  };
  const submit = (b: unknown, k: string) =>
    http<{ id: string; revision: number; currentStep: string }>(
      'POST',
      `/api/v1/projects/${projectId}/reports`,
      {
        base,
        token: p.contractor,
        body: b,
        headers: { 'idempotency-key': k },
      },
    );
  const created = await submit(body, key);
  expect(created.status).toBe(201);
  const id = created.body.id;
  const decide = (token: string, action: string) =>
    http<{ status: string; revision: number; currentStep: string | null; code?: string }>(
      'POST',
      `/api/v1/reports/${id}/decisions`,
      { base, token, body: { action } },
    );

  expect((await decide(p.officer, 'approve')).status).toBe(403);
  expect((await decide(p.contractor, 'approve')).status).toBe(403);
  expect((await decide(p.supervisor, 'approve')).status).toBe(200);
  expect((await decide(p.officer, 'return')).body.status).toBe('returned');
  expect((await decide(p.head, 'approve')).status).toBe(409);
  const resubmitted = await http<{ revision: number; currentStep: string }>(
    'POST',
    `/api/v1/reports/${id}/resubmit`,
    {
      base,
      token: p.contractor,
      body: { comment: 'Utility survey attached' },
    },
  );
  expect(resubmitted.body).toMatchObject({ revision: 2, currentStep: 'supervisor_review' });
  expect((await decide(p.supervisor, 'approve')).status).toBe(200);
  expect((await decide(p.officer, 'approve')).status).toBe(200);
  expect((await decide(p.head, 'approve')).body.status).toBe('approved');

  const read = await http<{
    status: string;
    steps: Array<{ status: string; decisions: unknown[] }>;
    decisions: unknown[];
  }>('GET', `/api/v1/reports/${id}`, { base, token: p.contractor });
  expect(read.body.status).toBe('approved');
  expect(read.body.steps.map((s) => s.status)).toEqual(['approved', 'approved', 'approved']);
  expect(read.body.decisions).toHaveLength(5);
  expect((await decide(p.head, 'approve')).status).toBe(409);

  const same = await submit(body, key);
  expect(same.status).toBe(201);
  expect(same.body.id).toBe(id);
  expect((await submit({ ...body, title: 'Another title' }, key)).status).toBe(422);
  return id;
}
