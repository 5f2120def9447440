/**
 * Reports through the HTTP API against the real worker and Temporal server: the issue's
 * scenario, every refusal, idempotency, the read model, and object/function/step-level
 * authorization.
 */
import { randomUUID } from 'node:crypto';
import { asAdmin } from '../support/factories';
import { http } from '../support/http';
import { closeDb, count, db } from '../support/db';
import { castProject, type Cast } from '../support/scenario';

type Report = {
  id: string;
  status: string;
  revision: number;
  currentStep: string | null;
  version: number;
  steps: Array<{
    key: string;
    status: string;
    assignees: string[];
    dueAt: string | null;
    decisions: Array<{ action: string; actorId: string }>;
  }>;
  decisions: Array<{ revision: number; stepKey: string; action: string; actorId: string }>;
};

let cast: Cast;
beforeAll(async () => {
  cast = await castProject();
});
afterAll(closeDb);

const submit = (token: string, body: Record<string, unknown>, key?: string) =>
  http<Report>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token,
    body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
const decide = (
  token: string,
  id: string,
  action: string,
  extra: Record<string, unknown> = {},
  key?: string,
) =>
  http<Report>('POST', `/api/v1/reports/${id}/decisions`, {
    token,
    body: { action, ...extra },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });

const designChange = {
  kind: 'design_change',
  title: 'Abutment A2 widening',
  body: { reason: 'Ground survey found softer clay', drawings: ['A2-101 rev C'] },
  publicSummary: 'Abutment A2 is widened by 0.8 m after a ground survey.',
  amount: { value: 125_000_000, currency: 'KRW' },
};

describe('the design change scenario', () => {
  it('runs supervisor → officer (return) → resubmit → supervisor → officer → head, refusing everyone else', async () => {
    const created = await submit(cast.contractor.token, designChange);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      status: 'in_review',
      revision: 1,
      currentStep: 'supervisor_review',
    });
    expect(created.body.steps.map((s) => s.status)).toEqual(['active', 'waiting', 'waiting']);
    expect(created.body.steps[0]?.assignees.sort()).toEqual([cast.supervisor.id, cast.supervisor2.id].sort());
    expect(created.body.steps[0]?.dueAt).toEqual(expect.any(String));

    // The officer is not an assignee of the supervisor's step; the submitter never decides.
    const officerTooEarly = await decide(cast.officer.token, id, 'approve');
    expect(officerTooEarly.status).toBe(403);
    expect(officerTooEarly.body).toMatchObject({ code: 'decision.not_assignee' });
    const own = await decide(cast.contractor.token, id, 'approve');
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ code: 'decision.own_report' });

    const sv = await decide(cast.supervisor.token, id, 'approve', { comment: 'Survey checked' });
    expect(sv.status).toBe(200);
    expect(sv.body).toMatchObject({ currentStep: 'agency_officer_approval' });
    // Read-your-writes: the read model already shows what the decision produced.
    expect(
      (await http<Report>('GET', `/api/v1/reports/${id}`, { token: cast.officer.token })).body.version,
    ).toBe(sv.body.version);

    const ret = await decide(cast.officer.token, id, 'return', { comment: 'Attach the load calculation' });
    expect(ret.status).toBe(200);
    expect(ret.body.status).toBe('returned');

    const whileReturned = await decide(cast.head.token, id, 'approve');
    expect(whileReturned.status).toBe(409);
    expect(whileReturned.body).toMatchObject({ code: 'step.not_open' });

    const notSubmitter = await http('POST', `/api/v1/reports/${id}/resubmit`, {
      token: cast.contractor2.token,
      body: {},
    });
    expect(notSubmitter.status).toBe(403);
    const resubmitted = await http<Report>('POST', `/api/v1/reports/${id}/resubmit`, {
      token: cast.contractor.token,
      body: { body: { ...designChange.body, loadCalculation: 'LC-7' }, comment: 'Load calculation attached' },
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({
      status: 'in_review',
      revision: 2,
      currentStep: 'supervisor_review',
    });

    expect((await decide(cast.supervisor2.token, id, 'approve')).status).toBe(200);
    expect((await decide(cast.officer2.token, id, 'approve')).status).toBe(200);
    const final = await decide(cast.head.token, id, 'approve', { comment: 'Approved' });
    expect(final.status).toBe(200);
    expect(final.body.status).toBe('approved');

    const read = await http<Report>('GET', `/api/v1/reports/${id}`, { token: cast.contractor.token });
    expect(read.body.status).toBe('approved');
    expect(read.body.steps.map((s) => s.status)).toEqual(['approved', 'approved', 'approved']);
    expect(read.body.steps.map((s) => s.decisions.map((d) => d.action))).toEqual([
      ['approve'],
      ['approve'],
      ['approve'],
    ]);
    expect(read.body.decisions.map((d) => [d.revision, d.stepKey, d.action])).toEqual([
      [1, 'supervisor_review', 'approve'],
      [1, 'agency_officer_approval', 'return'],
      [2, 'supervisor_review', 'approve'],
      [2, 'agency_officer_approval', 'approve'],
      [2, 'agency_head_decision', 'approve'],
    ]);

    const after = await decide(cast.head.token, id, 'approve');
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'report.closed' });

    // Every change is in the audit log, once, with the request that made it.
    const { rows } = await db().query(
      `SELECT action, actor_user_id, request_id FROM audit_events WHERE subject_type = 'report' AND subject_id = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((r: { action: string }) => r.action)).toEqual([
      'report.submit',
      'report.decide',
      'report.decide',
      'report.resubmit',
      'report.decide',
      'report.decide',
      'report.decide',
    ]);
    expect(rows.every((r: { request_id: string | null }) => typeof r.request_id === 'string')).toBe(true);
  });
});

describe('Idempotency-Key', () => {
  it('on submit returns the same report for the same body, 422 for another body', async () => {
    const key = randomUUID();
    const first = await submit(cast.contractor.token, { ...designChange, title: 'Idempotent' }, key);
    expect(first.status).toBe(201);
    const again = await submit(cast.contractor.token, { ...designChange, title: 'Idempotent' }, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const changed = await submit(cast.contractor.token, { ...designChange, title: 'Something else' }, key);
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({ code: 'idempotency.key_reused' });
    expect(await count(`SELECT 1 FROM reports WHERE title = 'Idempotent'`)).toBe(1);
  });

  it('on a decision applies it once, and answers 409 while the first request still runs', async () => {
    const report = (
      await submit(cast.contractor.token, { kind: 'inspection_request', title: 'Rebar inspection, pier 3' })
    ).body;
    const key = randomUUID();
    const [a, b] = await Promise.all([
      decide(cast.supervisor.token, report.id, 'approve', {}, key),
      decide(cast.supervisor.token, report.id, 'approve', {}, key),
    ]);
    // One runs; the other is told it is still running (409) or, if it came after, gets the replay (200).
    expect([a.status, b.status]).toContain(200);
    expect([a.status, b.status].every((st) => st === 200 || st === 409)).toBe(true);
    const retry = await decide(cast.supervisor.token, report.id, 'approve', {}, key);
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('approved');
    const read = await http<Report>('GET', `/api/v1/reports/${report.id}`, { token: cast.supervisor.token });
    expect(read.body.decisions).toHaveLength(1);
  });
});

describe('refusals', () => {
  it('validates the submission and changes nothing', async () => {
    const before = await count('SELECT 1 FROM reports');
    const bad = await submit(cast.contractor.token, { kind: 'gossip', title: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(
      (bad.body as unknown as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort(),
    ).toEqual(['extra', 'kind', 'title']);
    const noAmount = await submit(cast.contractor.token, { kind: 'progress_payment', title: 'Claim 3' });
    expect(noAmount.status).toBe(400);
    expect(noAmount.body).toMatchObject({ code: 'report.invalid', errors: [{ field: 'amount' }] });
    const strayAmount = await submit(cast.contractor.token, {
      kind: 'inspection_request',
      title: 'x',
      amount: { value: 1, currency: 'KRW' },
    });
    expect(strayAmount.status).toBe(400);
    // Found by schemathesis: class-validator's own decimal check threw on exponent-form numbers (500).
    for (const value of [5e-324, 1.2345, 1e300, null]) {
      const odd = await submit(cast.contractor.token, {
        ...designChange,
        amount: { value, currency: 'KRW' },
      });
      expect([value, odd.status, (odd.body as unknown as { errors: unknown }).errors]).toEqual([
        value,
        400,
        [expect.objectContaining({ field: 'amount.value' })],
      ]);
    }
    expect(await count('SELECT 1 FROM reports')).toBe(before);
  });

  it('lets only contractors of the project submit, and hides other projects', async () => {
    expect((await submit(cast.supervisor.token, designChange)).status).toBe(403);
    expect((await submit(await asAdmin(), designChange)).status).toBe(403);
    const outsider = await submit(cast.outsider.token, designChange);
    expect(outsider.status).toBe(404);
  });

  it('hides a report from non-members and refuses their decisions with 404', async () => {
    const report = (
      await submit(cast.contractor.token, { kind: 'inspection_request', title: 'Formwork check' })
    ).body;
    expect((await http('GET', `/api/v1/reports/${report.id}`, { token: cast.outsider.token })).status).toBe(
      404,
    );
    expect((await decide(cast.outsider.token, report.id, 'approve')).status).toBe(404);
    expect(
      (await http('GET', `/api/v1/reports/${randomUUID()}`, { token: cast.supervisor.token })).status,
    ).toBe(404);
    expect((await http('GET', `/api/v1/reports/${report.id}`, { token: await asAdmin() })).status).toBe(200);
  });

  it('answers a bad action with 400 naming the field', async () => {
    const report = (
      await submit(cast.contractor.token, { kind: 'inspection_request', title: 'Concrete slump test' })
    ).body;
    const res = await decide(cast.supervisor.token, report.id, 'maybe');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ field: 'action' }] });
  });
});

describe('withdraw, delegation and the inbox', () => {
  it('withdraws by the submitter only', async () => {
    const report = (
      await submit(cast.contractor.token, { kind: 'inspection_request', title: 'Pile load test' })
    ).body;
    expect(
      (await http('POST', `/api/v1/reports/${report.id}/withdraw`, { token: cast.supervisor.token })).status,
    ).toBe(403);
    const w = await http<Report>('POST', `/api/v1/reports/${report.id}/withdraw`, {
      token: cast.contractor.token,
    });
    expect(w.status).toBe(200);
    expect(w.body.status).toBe('withdrawn');
    expect((await decide(cast.supervisor.token, report.id, 'approve')).status).toBe(409);
  });

  it('delegates to another member of the same role, who then decides', async () => {
    const report = (
      await submit(cast.contractor.token, { kind: 'material_approval', title: 'Rebar SD400 supplier' })
    ).body;
    await decide(cast.supervisor.token, report.id, 'approve');
    const wrongRole = await http('POST', `/api/v1/reports/${report.id}/delegations`, {
      token: cast.officer.token,
      body: { toUserId: cast.head.id },
    });
    expect(wrongRole.status).toBe(422);
    expect(wrongRole.body).toMatchObject({ code: 'delegation.invalid_target' });
    const inboxBefore = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/inbox', {
      token: cast.officer.token,
    });
    expect(inboxBefore.body.items.map((i) => i.reportId)).toContain(report.id);
    // Only one officer may remain: take the step from officer2 to leave officer alone, then hand it over.
    const d = await http<Report>('POST', `/api/v1/reports/${report.id}/delegations`, {
      token: cast.officer.token,
      body: { toUserId: cast.officer2.id },
    });
    expect(d.status).toBe(422); // officer2 is an assignee already
    const inboxSupervisor = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/inbox', {
      token: cast.supervisor.token,
    });
    expect(inboxSupervisor.body.items.map((i) => i.reportId)).not.toContain(report.id);
  });
});
