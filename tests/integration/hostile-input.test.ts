/**
 * Issue 11's findings, one by one, as an attacker with an ordinary account would try them: each
 * hostile request is refused with a 4xx problem naming what is wrong and changes nothing, and the
 * report it touched still goes through its line. Each block failed on the code before the fix.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { sign } from 'jsonwebtoken';
import {
  decideUpdate,
  REPORT_WORKFLOW,
  reportStateQuery,
  reportWorkflowId,
  submittedUpdate,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import { startApi } from '../support/api';
import { closeDb, count, db } from '../support/db';
import { escalatingLine } from '../support/escalation-scenario';
import {
  addMember,
  asAdmin,
  createOrganization,
  createUser,
  USER_PASSWORD,
  unique,
  type Project,
} from '../support/factories';
import { http } from '../support/http';
import { kindSnapshot } from '../support/profile';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';
import { testDataConverter } from '../support/temporal';

type Report = {
  title: string;
  id: string;
  status: string;
  version: number;
  revision: number;
  currentStep: string | null;
  steps: Array<{ key: string; status: string; assignees: string[]; approvals: string[]; dueAt: string }>;
  decisions: Array<{ actorId: string; action: string }>;
};
type Problem = { status: number; code?: string; errors?: Array<{ field: string; message: string }> };

let cast: Cast;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  cast = await castProject();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  temporal = new Client({ connection, dataConverter: testDataConverter() });
});
afterAll(async () => {
  await connection.close();
  await closeDb();
});

const submit = (body: Record<string, unknown>, token = cast.contractor.token, headers = {}) =>
  http<Report & Problem>('POST', `/api/v1/projects/${cast.project.id}/reports`, { token, body, headers });
const decide = (id: string, token: string, body: Record<string, unknown>, headers = {}) =>
  http<Report & Problem>('POST', `/api/v1/reports/${id}/decisions`, { token, body, headers });
const read = async (id: string) =>
  (await http<Report>('GET', `/api/v1/reports/${id}`, { token: cast.contractor.token })).body;
const fields = (body: Problem) => (body.errors ?? []).map((e) => e.field);

/** A report of one supervisor step: proof that a report still goes through its line. */
async function completes(id: string): Promise<void> {
  const done = await decide(id, cast.supervisor.token, { action: 'approve' });
  expect([done.status, done.body.status]).toEqual([200, 'approved']);
}

describe('1. poison inputs cannot wedge a report', () => {
  const POISON = [
    ['a NUL', 'bad\u0000title'],
    ['a lone surrogate', 'bad\ud800title'],
    ['a C0 control', 'bad\u0007title'],
    ['U+FFFE', 'bad\ufffetitle'],
  ] as const;

  it.each(POISON)(
    'refuses %s in a title, a summary or anywhere in the body, naming the field',
    async (_, bad) => {
      const before = await count('SELECT 1 FROM reports WHERE project_id = $1', [cast.project.id]);
      for (const [body, field] of [
        [{ kind: 'inspection_request', title: bad }, 'title'],
        [{ kind: 'inspection_request', title: 'ok', publicSummary: bad }, 'publicSummary'],
        [
          { kind: 'inspection_request', title: 'ok', body: { notes: { deep: [1, bad] } } },
          'body.notes.deep[1]',
        ],
        [{ kind: 'inspection_request', title: 'ok', body: { [bad]: 1 } }, 'body'],
      ] as const) {
        const res = await submit(body);
        expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
        expect(fields(res.body)).toContain(field);
      }
      expect(await count('SELECT 1 FROM reports WHERE project_id = $1', [cast.project.id])).toBe(before);
    },
  );

  it('refuses a poisoned comment or resubmission; the report then still goes through its line', async () => {
    const report = (await submit({ kind: 'inspection_request', title: 'Formwork check' })).body;
    for (const [, bad] of POISON) {
      const res = await decide(report.id, cast.supervisor.token, { action: 'return', comment: bad });
      expect([res.status, fields(res.body)]).toEqual([400, ['comment']]);
    }
    expect((await read(report.id)).version).toBe(report.version);
    await completes(report.id);
  });

  it('refuses bidirectional overrides and line breaks in titles, but not in comments', async () => {
    const spoof = await submit({ kind: 'inspection_request', title: 'invoice\u202egnp.exe' });
    expect([spoof.status, fields(spoof.body)]).toEqual([400, ['title']]);
    const lines = await submit({ kind: 'inspection_request', title: 'two\nlines' });
    expect([lines.status, fields(lines.body)]).toEqual([400, ['title']]);
    const ok = await submit({ kind: 'inspection_request', title: 'Cafe\u0301 kiosk', publicSummary: 'a\nb' });
    expect(ok.status).toBe(201);
    expect(ok.body.title).toBe('Café kiosk'); // stored in NFC
  });

  it('refuses a body too large to carry through the workflow, before anything is written', async () => {
    const before = await count('SELECT 1 FROM reports WHERE project_id = $1', [cast.project.id]);
    const big = await submit({
      kind: 'inspection_request',
      title: 'Big',
      body: { blob: 'x'.repeat(900_000) },
    });
    expect([big.status, fields(big.body)]).toEqual([400, ['body']]);
    const justOver = await submit({
      kind: 'inspection_request',
      title: 'Big',
      body: { blob: 'x'.repeat(65_536) },
    });
    expect(justOver.status).toBe(400);
    const fits = await submit({
      kind: 'inspection_request',
      title: 'Fits',
      body: { blob: '가'.repeat(20_000) },
    });
    expect(fits.status).toBe(201);
    await completes(fits.body.id);
    expect(await count('SELECT 1 FROM reports WHERE project_id = $1', [cast.project.id])).toBe(before + 1);
  });

  it('refuses durations past a year and a day: an extension, an SLA, an escalation delay', async () => {
    const admin = await asAdmin();
    for (const sla of ['P420000W', 'PT99999999999999999999S', 'P367D']) {
      const res = await escalatingLine(cast.project.id, { token: admin, sla });
      expect([res.status, fields(res.body as Problem)]).toEqual([400, ['steps[0].sla']]);
    }
    const line = await escalatingLine(cast.project.id, { token: admin, sla: 'PT1S' });
    expect(line.status).toBe(200);
    const report = (await submit({ kind: 'inspection_request', title: 'Overdue pour' })).body;
    const escalation = await until('the escalation', async () => {
      const open = await http<{ items: Array<{ id: string; reportId: string }> }>(
        'GET',
        '/api/v1/escalations',
        {
          token: cast.head.token,
        },
      );
      return open.body.items.find((e) => e.reportId === report.id)?.id;
    });
    for (const extendBy of ['P420000W', 'P1000D', 'P1Y']) {
      const res = await http<Problem>('POST', `/api/v1/escalations/${escalation}/resolve`, {
        token: cast.head.token,
        body: { action: 'extend', extendBy, justification: 'Too long' },
      });
      expect([res.status, fields(res.body)]).toEqual([400, ['extendBy']]);
    }
    const extended = await http('POST', `/api/v1/escalations/${escalation}/resolve`, {
      token: cast.head.token,
      body: { action: 'extend', extendBy: 'P366D', justification: 'Winter stop' },
    });
    expect(extended.status).toBe(200);
    await completes(report.id);
    await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/inspection_request`, {
      token: admin,
      body: {
        steps: [
          {
            key: 'supervisor_review',
            name: 'Supervisor review',
            assigneeRole: 'supervisor',
            mode: 'any',
            sla: 'PT48H',
          },
        ],
      },
    });
  });

  it('behind the edge, a change the read model refuses is undone and refused (422), never retried forever', async () => {
    const report = (await submit({ kind: 'inspection_request', title: 'Defence in depth' })).body;
    // Straight to the workflow, past the API's edge: PostgreSQL refuses a NUL in the comment.
    const handle = temporal.workflow.getHandle(reportWorkflowId(report.id));
    const poisoned = await handle
      .executeUpdate(decideUpdate, {
        args: [
          {
            actorId: cast.supervisor.id,
            action: 'return',
            comment: 'nul\u0000',
            requestKey: `test:${randomUUID()}`,
            requestId: null,
          },
        ],
      })
      .then(
        () => 'accepted',
        (err: { cause?: { type?: string } }) => err.cause?.type,
      );
    expect(poisoned).toBe('report.unprocessable');
    const after = await read(report.id);
    expect([after.status, after.version]).toEqual(['in_review', report.version]);
    await completes(report.id);
  });

  it('behind the edge, a submission the read model refuses ends without a report (422)', async () => {
    const reportId = randomUUID();
    const input: ReportWorkflowInput = {
      submission: {
        reportId,
        projectId: cast.project.id,
        kind: 'inspection_request',
        kindSnapshot: kindSnapshot('inspection_request'),
        submitterId: cast.contractor.id,
        lineVersion: 1,
        line: [
          {
            key: 'review',
            name: 'Review',
            assigneeRole: 'supervisor',
            mode: 'any',
            sla: 'PT1H',
            escalation: [],
            public: true,
          },
        ],
        title: 'nul\u0000',
        body: {},
        publicSummary: null,
        amount: null,
        timing: { basis: { kind: 'calendar' }, reminderPoints: [] },
      },
      requestId: null,
    };
    // Update-with-start, as the API submits: the submission is refused in the workflow's first
    // task, which also ends the workflow, so an update sent after the start would find it closed.
    const outcome = await temporal.workflow
      .executeUpdateWithStart(submittedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(REPORT_WORKFLOW, {
          workflowId: reportWorkflowId(reportId),
          taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? '',
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
      })
      .then(
        () => 'accepted',
        (err: { cause?: { type?: string } }) => err.cause?.type,
      );
    expect(outcome).toBe('report.unprocessable');
    expect(await count('SELECT 1 FROM reports WHERE id = $1', [reportId])).toBe(0);
    const described = await temporal.workflow.getHandle(reportWorkflowId(reportId)).describe();
    expect(described.status.name).toBe('COMPLETED');
  });
});

describe('2. a client-chosen header never deduplicates a decision', () => {
  it('applies both decisions of two users who send the same x-request-id', async () => {
    const admin = await asAdmin();
    await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/material_approval`, {
      token: admin,
      body: {
        steps: [
          { key: 'both', name: 'Both supervisors', assigneeRole: 'supervisor', mode: 'all', sla: 'PT48H' },
        ],
      },
    });
    const report = (await submit({ kind: 'material_approval', title: 'Rebar SD500' })).body;
    const headers = { 'x-request-id': 'same-request-id' };
    const first = await decide(report.id, cast.supervisor.token, { action: 'approve' }, headers);
    const second = await decide(report.id, cast.supervisor2.token, { action: 'approve' }, headers);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.status).toBe('approved');
    expect((await read(report.id)).decisions.map((d) => d.actorId).sort()).toEqual(
      [cast.supervisor.id, cast.supervisor2.id].sort(),
    );
    expect(
      await count(`SELECT 1 FROM audit_events WHERE action = 'report.decide' AND subject_id = $1`, [
        report.id,
      ]),
    ).toBe(2);
  });

  it('does not let one user’s Idempotency-Key stand for another’s request, or for another body', async () => {
    const a = (
      await submit({ kind: 'inspection_request', title: 'Key A' }, cast.contractor.token, {
        'idempotency-key': 'k-1',
      })
    ).body;
    const b = (
      await submit({ kind: 'inspection_request', title: 'Key B' }, cast.contractor2.token, {
        'idempotency-key': 'k-1',
      })
    ).body;
    expect(a.id).not.toBe(b.id);
    expect((await read(b.id)).steps[0]?.status).toBe('active');
  });
});

describe('2b. commands that arrive together are applied one at a time', () => {
  it('keeps the read model, the workflow and the audit log in step when approvals and a withdrawal race', async () => {
    const admin = await asAdmin();
    await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/progress_report`, {
      token: admin,
      body: {
        steps: [
          { key: 'all', name: 'Every supervisor', assigneeRole: 'supervisor', mode: 'all', sla: 'PT1H' },
          { key: 'officer', name: 'Officer', assigneeRole: 'agency_officer', mode: 'any', sla: 'PT1H' },
        ],
      },
    });
    for (let i = 0; i < 12; i++) {
      const report = (await submit({ kind: 'progress_report', title: `Race ${i}` })).body;
      const told = await Promise.all([
        decide(report.id, cast.supervisor.token, { action: 'approve' }),
        decide(report.id, cast.supervisor2.token, { action: 'approve' }),
        new Promise((r) => setTimeout(r, (i % 6) * 15)).then(() =>
          http<Report & Problem>('POST', `/api/v1/reports/${report.id}/withdraw`, {
            token: cast.contractor.token,
          }),
        ),
      ]);
      const state = await temporal.workflow.getHandle(reportWorkflowId(report.id)).query(reportStateQuery);
      const stored = await db().query<{ state: unknown; version: number }>(
        'SELECT state, version FROM reports WHERE id = $1',
        [report.id],
      );
      // The read model is the workflow's state, whoever won the race.
      expect([i, stored.rows[0]?.state]).toEqual([i, state]);
      // Every answer the callers got is a state the report really passed through, in order.
      const versions = told.filter((r) => r.status === 200).map((r) => r.body.version);
      expect(new Set(versions).size).toBe(versions.length);
      // One audit event per change: no version is recorded twice or beyond the workflow's.
      const audit = await db().query<{ version: string }>(
        `SELECT details->>'version' AS version FROM audit_events WHERE subject_type = 'report' AND subject_id = $1`,
        [report.id],
      );
      const audited = audit.rows.map((r) => Number(r.version));
      expect(new Set(audited).size).toBe(audited.length);
      expect(Math.max(...audited)).toBeLessThanOrEqual(state.version);
      if (state.status === 'withdrawn') expect(state.steps.every((st) => st.status !== 'active')).toBe(true);
    }
    await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/progress_report`, {
      token: admin,
      body: {
        steps: [
          {
            key: 'supervisor_review',
            name: 'Supervisor review',
            assigneeRole: 'supervisor',
            mode: 'any',
            sla: 'PT72H',
          },
        ],
      },
    });
  }, 120_000);
});

describe('3. the sign-in lock-out holds under concurrency, and strangers cannot lock others out', () => {
  it('checks at most LOGIN_LOCKOUT_ATTEMPTS passwords of a burst of 200, and then refuses the right one', async () => {
    // The test stack's lock-out lasts 2 s; on a loaded machine the burst can outlast it, and then
    // a second round of guesses is rightly checked. This API keeps the production default.
    const api = await startApi({ LOGIN_LOCKOUT_DURATION: 'PT15M', LOG_LEVEL: 'fatal' });
    try {
      const agency = await createOrganization('agency');
      const victim = await createUser(agency);
      const burst = await Promise.all(
        Array.from({ length: 200 }, () =>
          http('POST', '/api/v1/auth/token', {
            base: api.base,
            body: { username: victim.username, password: 'wrong-password-1' },
          }),
        ),
      );
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(195);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      const right = await http('POST', '/api/v1/auth/token', {
        base: api.base,
        body: { username: victim.username, password: USER_PASSWORD },
      });
      expect(right.status).toBe(429);
    } finally {
      await api.app.close();
    }
  });

  it('locks the pair of username and client: a stranger elsewhere cannot lock an account out', async () => {
    // Behind a proxy the API trusts, X-Forwarded-For names the client.
    const api = await startApi({ TRUST_PROXY: 'loopback', LOG_LEVEL: 'fatal' });
    try {
      const agency = await createOrganization('agency');
      const victim = await createUser(agency);
      const login = (password: string, client: string) =>
        http('POST', '/api/v1/auth/token', {
          base: api.base,
          body: { username: victim.username, password },
          headers: { 'x-forwarded-for': client },
        });
      for (let i = 0; i < 6; i++) await login('wrong-password-1', '203.0.113.66');
      expect((await login(USER_PASSWORD, '203.0.113.66')).status).toBe(429);
      expect((await login(USER_PASSWORD, '198.51.100.7')).status).toBe(200);
    } finally {
      await api.app.close();
    }
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says so: a spoofed header does not evade the lock', async () => {
    const agency = await createOrganization('agency');
    const victim = await createUser(agency);
    for (let i = 0; i < 6; i++)
      await http('POST', '/api/v1/auth/token', {
        body: { username: victim.username, password: 'wrong-password-1' },
        headers: { 'x-forwarded-for': `192.0.2.${i}` },
      });
    const spoofed = await http('POST', '/api/v1/auth/token', {
      body: { username: victim.username, password: USER_PASSWORD },
      headers: { 'x-forwarded-for': '192.0.2.200' },
    });
    expect(spoofed.status).toBe(429);
  });
});

describe('3b. one client cannot make the API hash passwords without end', () => {
  it('refuses a client past LOGIN_RATE_LIMIT sign-ins that failed, whatever the usernames; others and successes are not counted', async () => {
    const api = await startApi({ TRUST_PROXY: 'loopback', LOGIN_RATE_LIMIT: '5', LOG_LEVEL: 'fatal' });
    try {
      const agency = await createOrganization('agency');
      const staff = await createUser(agency);
      const login = (username: string, password: string, client: string) =>
        http<Problem>('POST', '/api/v1/auth/token', {
          base: api.base,
          body: { username, password },
          headers: { 'x-forwarded-for': client },
        });
      // Successful sign-ins are given back: a site office behind one address is not throttled.
      for (let i = 0; i < 8; i++)
        expect((await login(staff.username, USER_PASSWORD, '203.0.113.9')).status).toBe(200);
      // A spray of usernames that do not exist, all at once.
      const spray = await Promise.all(
        Array.from({ length: 40 }, (_, i) => login(unique(`nobody-${i}`), 'wrong-password-1', '203.0.113.9')),
      );
      const statuses = spray.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      const refused = spray.filter((r) => r.status === 429);
      expect(refused).toHaveLength(35);
      expect(refused[0]?.body.code).toBe('rate_limited');
      expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another client is not affected.
      expect((await login(staff.username, USER_PASSWORD, '198.51.100.7')).status).toBe(200);
    } finally {
      await api.app.close();
    }
  });
});

describe('4. the public edge cannot be sprayed', () => {
  it('rate-limits every spelling of a public path, and the portal too', async () => {
    const api = await startApi({ PUBLIC_RATE_LIMIT: '4', LOG_LEVEL: 'fatal' });
    try {
      const statuses: number[] = [];
      for (const path of ['/PUBLIC/v1/log', '/public/V1/log/', '/Public/v1/records', '/', '/verify'])
        statuses.push((await http('GET', path, { base: api.base })).status);
      expect(statuses.slice(0, 4).every((s) => s !== 429)).toBe(true);
      expect(statuses[4]).toBe(429);
      // The staff API and health checks are not behind the public limit.
      expect((await http('GET', '/health/live', { base: api.base })).status).toBe(200);
      expect(
        (await http('GET', '/api/v1/users/me', { base: api.base, token: cast.contractor.token })).status,
      ).toBe(200);
    } finally {
      await api.app.close();
    }
  });

  it('keeps the cache of full pages within PUBLIC_CACHE_BYTES however many URLs are sprayed', async () => {
    // 60 KiB of cache: a handful of one-record pages. 300 distinct spellings and positions later
    // the process still answers, and answers identically (the unit tests bound the bytes exactly).
    const api = await startApi({ PUBLIC_CACHE_BYTES: '61440', LOG_LEVEL: 'fatal' });
    try {
      const size = (
        await http<{ treeHead: { treeSize: number } }>('GET', '/public/v1/log', { base: api.base })
      ).body.treeHead.treeSize;
      expect(size).toBeGreaterThan(3);
      const pages = new Map<number, string>();
      for (let i = 0; i < 300; i++) {
        const after = i % (size - 1);
        const spelling = i % 3 === 0 ? `after=${after}` : i % 3 === 1 ? `after=0${after}` : `cursor=${after}`;
        const res = await http('GET', `/public/v1/records?limit=1&${spelling}`, { base: api.base });
        expect(res.status).toBe(200);
        const seen = pages.get(after);
        if (seen) expect(res.text).toBe(seen);
        else pages.set(after, res.text);
      }
    } finally {
      await api.app.close();
    }
  });
});

describe('5. outputs that cannot attack their readers', () => {
  it('neutralizes formula cells in the CSV export and starts it with a byte order mark', async () => {
    const report = (
      await submit({ kind: 'inspection_request', title: '=HYPERLINK("http://evil.example","open")' })
    ).body;
    await completes(report.id);
    const res = await fetch(`${process.env.OPENCCS_TEST_API_URL}/public/v1/export/records.csv`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""open"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('builds absolute links from PUBLIC_URL, never from the Host header', async () => {
    const api = await startApi({ PUBLIC_URL: 'https://openccs.example.go.kr/', LOG_LEVEL: 'fatal' });
    try {
      const headers = {
        host: 'attacker.invalid',
        'x-forwarded-host': 'attacker.invalid',
        'x-forwarded-proto': 'http',
      };
      const atom = await http('GET', '/public/v1/feed.atom', { base: api.base, headers });
      expect(atom.text).toContain('https://openccs.example.go.kr/public/v1/feed.atom');
      const oc4ids = await http('GET', '/public/v1/export/oc4ids.json', { base: api.base, headers });
      expect(oc4ids.body.uri).toBe('https://openccs.example.go.kr/public/v1/export/oc4ids.json');
      expect(atom.text + oc4ids.text).not.toContain('attacker.invalid');
    } finally {
      await api.app.close();
    }
  });
});

describe('6. authorization follows membership at the moment of the decision', () => {
  it('takes a demoted supervisor off the open step and out of the inbox; the step then escalates', async () => {
    const supervision = await createOrganization('supervisor');
    const agency = await createOrganization('agency');
    const project = (
      await http<{ id: string }>('POST', '/api/v1/projects', {
        token: await asAdmin(),
        body: { code: unique('DEMOTE'), title: 'Demotion', agencyOrganizationId: agency.id },
      })
    ).body;
    const contractor = await createUser(await createOrganization('contractor'));
    const supervisor = await createUser(supervision);
    const head = await createUser(agency);
    await addMember(project as never, contractor, 'contractor');
    await addMember(project as never, supervisor, 'supervisor');
    await addMember(project as never, head, 'agency_head');
    const report = (
      await http<Report>('POST', `/api/v1/projects/${project.id}/reports`, {
        token: contractor.token,
        body: { kind: 'inspection_request', title: 'Demoted reviewer' },
      })
    ).body;
    expect(report.steps[0]?.assignees).toEqual([supervisor.id]);
    await addMember(project as never, supervisor, 'observer');
    // Refused at once, before the workflow has even heard of the change.
    const refused = await http<Problem>('POST', `/api/v1/reports/${report.id}/decisions`, {
      token: supervisor.token,
      body: { action: 'approve' },
    });
    expect([refused.status, refused.body.code]).toEqual([403, 'decision.not_assignee']);
    const inbox = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/inbox', {
      token: supervisor.token,
    });
    expect(inbox.body.items.map((i) => i.reportId)).not.toContain(report.id);
    // The workflow re-resolves the step: nobody is left, so it escalates to the agency head.
    const revised = await until('the step to lose its assignee', async () => {
      const r = await http<
        Report & { steps: Array<{ escalations: Array<{ reason: string; toRole: string }> }> }
      >('GET', `/api/v1/reports/${report.id}`, { token: head.token });
      return r.body.steps[0]?.assignees.length === 0 ? r.body : undefined;
    });
    expect(revised.steps[0]?.escalations).toEqual([
      expect.objectContaining({ reason: 'unassigned', toRole: 'agency_head' }),
    ]);
    const open = await http<{ items: Array<{ id: string; reportId: string; reason: string }> }>(
      'GET',
      '/api/v1/escalations',
      {
        token: head.token,
      },
    );
    const escalation = open.body.items.find((e) => e.reportId === report.id);
    expect(escalation?.reason).toBe('unassigned');
    const decided = await http<{ report: Report }>('POST', `/api/v1/escalations/${escalation?.id}/resolve`, {
      token: head.token,
      body: { action: 'approve', justification: 'Reviewed by the agency after the supervisor left' },
    });
    expect([decided.status, decided.body.report.status]).toEqual([200, 'approved']);
  });

  it('escalates a step that opens with nobody, or too few for its quorum, to decide it; an escalation nobody can handle is listed', async () => {
    const admin = await asAdmin();
    const agency = await createOrganization('agency');
    const project = (
      await http<Project>('POST', '/api/v1/projects', {
        token: admin,
        body: { code: unique('STRAND'), title: 'Stranded steps', agencyOrganizationId: agency.id },
      })
    ).body;
    const contractor = await createUser(await createOrganization('contractor'));
    const supervision = await createOrganization('supervisor');
    const [s1, s2] = [await createUser(supervision), await createUser(supervision)];
    await addMember(project, contractor, 'contractor');
    await addMember(project, s1!, 'supervisor');
    await addMember(project, s2!, 'supervisor');
    await http('PUT', `/api/v1/projects/${project.id}/approval-lines/progress_report`, {
      token: admin,
      body: {
        steps: [
          {
            key: 'panel',
            name: 'Panel of three',
            assigneeRole: 'supervisor',
            mode: 'quorum',
            quorum: 3,
            sla: 'PT72H',
          },
        ],
      },
    });
    await http('PUT', `/api/v1/projects/${project.id}/approval-lines/inspection_request`, {
      token: admin,
      body: {
        steps: [{ key: 'qa', name: 'Quality', assigneeRole: 'agency_officer', mode: 'any', sla: 'PT72H' }],
      },
    });
    type Escalated = Report & { steps: Array<{ escalations: Array<{ reason: string; toRole: string }> }> };
    const escalated = async (kind: string) => {
      const report = (
        await http<Report>('POST', `/api/v1/projects/${project.id}/reports`, {
          token: contractor.token,
          body: { kind, title: `Stranded ${kind}` },
        })
      ).body;
      return until(`the ${kind} step to escalate`, async () => {
        const r = await http<Escalated>('GET', `/api/v1/reports/${report.id}`, { token: admin });
        return r.body.steps[0]?.escalations.length ? r.body : undefined;
      });
    };
    // Two supervisors cannot make a quorum of three; nobody is an agency officer.
    for (const kind of ['progress_report', 'inspection_request']) {
      const report = await escalated(kind);
      expect(report.steps[0]?.escalations).toEqual([
        expect.objectContaining({ reason: 'unassigned', toRole: 'agency_head' }),
      ]);
      // Nobody on the project is its agency head: the operator is told whom to add.
      const stuck = await http<{ items: Array<{ reportId: string; remedy: string; reason: string }> }>(
        'GET',
        '/api/v1/admin/stuck',
        { token: admin },
      );
      expect(stuck.body.items.find((i) => i.reportId === report.id)).toEqual(
        expect.objectContaining({ remedy: 'add_member', reason: expect.stringContaining('agency_head') }),
      );
    }
    const listed = (await escalated('progress_report')).id;
    // An agency head joins: the escalations are theirs to handle, and nothing is listed any more.
    const head = await createUser(agency);
    await addMember(project, head, 'agency_head');
    const stuck = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/admin/stuck', {
      token: admin,
    });
    expect(stuck.body.items.map((i) => i.reportId)).not.toContain(listed);
    const inbox = await http<{ items: Array<{ reason: string }> }>('GET', '/api/v1/escalations', {
      token: head.token,
    });
    expect(inbox.body.items.map((e) => e.reason)).toEqual(['unassigned', 'unassigned', 'unassigned']);
  });

  it('takes a removed member off the open step; the other assignee decides', async () => {
    const admin = await asAdmin();
    await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/construction_plan`, {
      token: admin,
      body: {
        steps: [{ key: 'review', name: 'Review', assigneeRole: 'supervisor', mode: 'any', sla: 'PT48H' }],
      },
    });
    const extra = await createUser(await createOrganization('supervisor'));
    await addMember(cast.project, extra, 'supervisor');
    const report = (await submit({ kind: 'construction_plan', title: 'Crane plan' })).body;
    expect(report.steps[0]?.assignees).toContain(extra.id);
    const removed = await http('DELETE', `/api/v1/projects/${cast.project.id}/members/${extra.id}`, {
      token: admin,
    });
    expect(removed.status).toBe(204);
    expect(
      (await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/inbox', { token: extra.token }))
        .body.items,
    ).toEqual([]);
    await until('the removed member to leave the step', async () =>
      (await read(report.id)).steps[0]?.assignees.includes(extra.id) ? undefined : true,
    );
    expect((await decide(report.id, extra.token, { action: 'approve' })).status).toBe(404);
    expect(
      await count(`SELECT 1 FROM audit_events WHERE action = 'project.member_remove' AND subject_id = $1`, [
        cast.project.id,
      ]),
    ).toBe(1);
    await completes(report.id);
  });

  it('never lets an administrator decide: admins and auditors may only observe', async () => {
    const admin = await asAdmin();
    const me = (await http<{ id: string }>('GET', '/api/v1/users/me', { token: admin })).body;
    const res = await http<Problem>('PUT', `/api/v1/projects/${cast.project.id}/members/${me.id}`, {
      token: admin,
      body: { role: 'agency_head' },
    });
    expect([res.status, res.body.code]).toEqual([422, 'member.role_not_allowed']);
    const auditor = await createUser(cast.agency, 'auditor');
    const asAuditor = await http<Problem>(
      'PUT',
      `/api/v1/projects/${cast.project.id}/members/${auditor.id}`,
      {
        token: admin,
        body: { role: 'agency_officer' },
      },
    );
    expect(asAuditor.status).toBe(422);
    expect(await count('SELECT 1 FROM project_members WHERE user_id = ANY($1)', [[me.id, auditor.id]])).toBe(
      0,
    );
  });

  it('refuses a delegation to a deactivated member', async () => {
    const admin = await asAdmin();
    const spare = await createUser(await createOrganization('supervisor'));
    await addMember(cast.project, spare, 'supervisor');
    const report = (await submit({ kind: 'inspection_request', title: 'Delegate to a ghost' })).body;
    expect(
      (await http('POST', `/api/v1/users/${spare.id}/deactivate`, { token: admin, body: {} })).status,
    ).toBe(200);
    const res = await http<Problem>('POST', `/api/v1/reports/${report.id}/delegations`, {
      token: cast.supervisor.token,
      body: { toUserId: spare.id },
    });
    expect([res.status, res.body.code]).toEqual([422, 'delegation.invalid_target']);
    expect((await http('GET', '/api/v1/users/me', { token: spare.token })).status).toBe(401);
    await completes(report.id);
  });

  it('refuses a token without an expiry, even with a valid signature', async () => {
    const forged = sign({ sub: cast.supervisor.id, role: 'staff' }, process.env.JWT_SECRET ?? '', {
      algorithm: 'HS256',
      issuer: 'openccs',
      audience: 'openccs-api',
      noTimestamp: true,
    });
    expect((await http('GET', '/api/v1/users/me', { token: forged })).status).toBe(401);
  });

  it('sends Cache-Control: no-store with tokens and every authenticated answer, errors included', async () => {
    const token = await http('POST', '/api/v1/auth/token', {
      body: { username: cast.officer.username, password: USER_PASSWORD },
    });
    expect(token.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/api/v1/users/me', '/api/v1/inbox', `/api/v1/reports/${randomUUID()}`])
      expect((await http('GET', path, { token: cast.officer.token })).headers.get('cache-control')).toBe(
        'no-store',
      );
  });
});

describe('7. readiness tells the truth', () => {
  it('is degraded while no worker polls the task queue', async () => {
    const api = await startApi({ TEMPORAL_TASK_QUEUE: `nobody-${randomUUID()}`, LOG_LEVEL: 'fatal' });
    try {
      const ready = await http<Problem & { detail: string }>('GET', '/health/ready', { base: api.base });
      expect([ready.status, ready.body.code]).toEqual([503, 'degraded']);
      expect(ready.body.detail).toContain('no worker has polled the task queue');
    } finally {
      await api.app.close();
    }
  });

  it('reports a report whose projection keeps failing, lists it, and is ready again once it recovers', async () => {
    const admin = await asAdmin();
    const report = (await submit({ kind: 'inspection_request', title: 'Flaky store' })).body;
    // A transient fault the database keeps raising for this report (a retryable SQLSTATE).
    await db().query(`
      CREATE OR REPLACE FUNCTION openccs_test_flaky() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${report.id}' THEN RAISE EXCEPTION 'flaky' USING ERRCODE = '40001'; END IF;
        RETURN NEW;
      END $$`);
    await db().query(
      `CREATE TRIGGER openccs_test_flaky BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION openccs_test_flaky()`,
    );
    try {
      const pending = decide(report.id, cast.supervisor.token, { action: 'approve' });
      const stuck = await until('the report to be listed as stuck', async () => {
        const list = await http<{ items: Array<{ reportId: string; reason: string }> }>(
          'GET',
          '/api/v1/admin/stuck',
          {
            token: admin,
          },
        );
        return list.body.items.find((i) => i.reportId === report.id);
      });
      expect(stuck.reason).toMatch(/projectReport(Once)? has failed/);
      const ready = await until('readiness to say so', async () => {
        const r = await http<Problem & { detail: string }>('GET', '/health/ready');
        return r.status === 503 ? r.body : undefined;
      });
      expect([ready.code, ready.detail]).toEqual(['degraded', expect.stringContaining(report.id)]);
      await db().query(`DROP TRIGGER openccs_test_flaky ON reports`);
      // The retry that follows succeeds: the decision is applied once, and the problem clears.
      await pending;
      await until('the report to be approved', async () =>
        (await read(report.id)).status === 'approved' ? true : undefined,
      );
      await until('readiness to recover', async () =>
        (await http('GET', '/health/ready')).status === 200 ? true : undefined,
      );
      expect((await read(report.id)).decisions).toHaveLength(1);
    } finally {
      await db().query(`DROP TRIGGER IF EXISTS openccs_test_flaky ON reports`);
    }
  }, 90_000);

  it('repairs a stuck report by restarting it from its read model, audited', async () => {
    const admin = await asAdmin();
    const report = (await submit({ kind: 'inspection_request', title: 'Stuck for good' })).body;
    await db().query(`
      CREATE OR REPLACE FUNCTION openccs_test_stuck() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${report.id}' THEN RAISE EXCEPTION 'stuck' USING ERRCODE = '40001'; END IF;
        RETURN NEW;
      END $$`);
    await db().query(
      `CREATE TRIGGER openccs_test_stuck BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION openccs_test_stuck()`,
    );
    try {
      const lost = decide(report.id, cast.supervisor.token, { action: 'return', comment: 'never stored' });
      await until('the report to be listed as stuck', async () => {
        const list = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/admin/stuck', {
          token: admin,
        });
        return list.body.items.some((i) => i.reportId === report.id) ? true : undefined;
      });
      // Restarted while the fault is still there: the new run starts from what the report stored.
      const repaired = await http<{ runId: string }>('POST', `/api/v1/admin/stuck/${report.id}/restart`, {
        token: admin,
        body: { reason: 'The projection was blocked by a faulty trigger' },
      });
      expect(repaired.status).toBe(200);
      await db().query(`DROP TRIGGER openccs_test_stuck ON reports`);
      // The caller of the lost decision was never told it succeeded.
      expect([409, 503]).toContain((await lost).status);
      const list = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/admin/stuck', {
        token: admin,
      });
      expect(list.body.items.map((i) => i.reportId)).not.toContain(report.id);
      expect(
        await count(`SELECT 1 FROM audit_events WHERE action = 'report.repair' AND subject_id = $1`, [
          report.id,
        ]),
      ).toBe(1);
      // It continues from the last state it stored: in review, the lost return dropped.
      expect((await read(report.id)).status).toBe('in_review');
      await completes(report.id);
    } finally {
      await db().query(`DROP TRIGGER IF EXISTS openccs_test_stuck ON reports`);
    }
  }, 90_000);
});

describe('7b. a workflow whose tasks keep failing', () => {
  it('is flagged by Temporal, listed as stuck, makes readiness degraded, and is ended by the repair', async () => {
    const admin = await asAdmin();
    const reportId = randomUUID();
    // Input no release would send: the workflow's first task throws, and so does every retry.
    await temporal.workflow.start(REPORT_WORKFLOW, {
      workflowId: reportWorkflowId(reportId),
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? '',
      args: [{} as ReportWorkflowInput],
    });
    const stuck = await until(
      'Temporal to flag the failing workflow',
      async () => {
        const list = await http<{ items: Array<{ reportId: string; reason: string }> }>(
          'GET',
          '/api/v1/admin/stuck',
          {
            token: admin,
          },
        );
        return list.body.items.find((i) => i.reportId === reportId);
      },
      60_000,
    );
    expect(stuck.reason).toContain('workflow tasks keep failing');
    const ready = await until('readiness to say so', async () => {
      const r = await http<Problem & { detail: string }>('GET', '/health/ready');
      return r.status === 503 ? r.body : undefined;
    });
    expect(ready.detail).toContain(reportId);
    const ended = await http<{ runId: string | null }>('POST', `/api/v1/admin/stuck/${reportId}/restart`, {
      token: admin,
      body: { reason: 'A malformed start that never became a report' },
    });
    expect([ended.status, ended.body.runId]).toEqual([200, null]);
    await until('readiness to recover', async () =>
      (await http('GET', '/health/ready')).status === 200 ? true : undefined,
    );
  }, 90_000);
});

describe('8. the contract holds at its edges', () => {
  it('pages a project’s records with ?cursor=, as every list does', async () => {
    const code = cast.project.code;
    const first = await http<{ items: Array<{ seq: number }>; nextCursor: string | null }>(
      'GET',
      `/public/v1/projects/${code}/records?limit=1`,
    );
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await http<{ items: Array<{ seq: number }> }>(
      'GET',
      `/public/v1/projects/${code}/records?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.status).toBe(200);
    expect(second.body.items[0]?.seq).toBeGreaterThan(first.body.items[0]?.seq ?? Infinity);
    expect((await http('GET', `/public/v1/records?after=1&cursor=2`)).status).toBe(400);
  });

  it('refuses JSON nested 1,400 levels deep with a 400 naming the body, on any endpoint', async () => {
    const nest = (open: string, close: string) => `${open.repeat(1_400)}1${close.repeat(1_400)}`;
    for (const [path, raw] of [
      [
        `/api/v1/projects/${cast.project.id}/reports`,
        `{"kind":"inspection_request","title":"x","body":{"a":${nest('[', ']')}}}`,
      ],
      [`/api/v1/projects/${cast.project.id}/reports`, nest('[', ']')],
      ['/api/v1/organizations', nest('{"a":', '}')],
      ['/api/v1/auth/token', nest('[', ']')],
    ] as const) {
      const res = await http<Problem>('POST', path, { token: await asAdmin(), rawBody: raw });
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'validation_failed']);
    }
  });

  it('refuses webhook addresses that hide credentials, reorder their text or are not http(s)', async () => {
    const admin = await asAdmin();
    const org = await createOrganization('agency');
    for (const [url, why] of [
      ['https://user:pass@erp.example.go.kr/hook', 'user name or password'],
      ['https://erp.example.go.kr/\u202ekooh', 'bidirectional'],
      ['https://erp.example.go.kr/a b', 'spaces'],
      ['javascript:alert(1)', 'http(s) URL'],
      ['ftp://erp.example.go.kr/hook', 'http(s) URL'],
      ['https://', 'http(s) URL'],
    ] as const) {
      const res = await http<Problem>('POST', `/api/v1/organizations/${org.id}/webhooks`, {
        token: admin,
        body: { url },
      });
      expect([url, res.status, res.body.errors?.[0]?.field]).toEqual([url, 400, 'url']);
      expect(res.body.errors?.[0]?.message).toContain(why);
    }
    expect(await count('SELECT 1 FROM webhooks WHERE organization_id = $1', [org.id])).toBe(0);
  });

  it('refuses a NUL in a path segment or a query parameter instead of failing in SQL', async () => {
    for (const path of [
      '/public/v1/projects/%00/records',
      '/public/v1/projects?q=%00',
      '/public/v1/projects?agency=a%00b',
    ])
      expect([path, (await http('GET', path)).status]).toEqual([path, 400]);
  });
});
