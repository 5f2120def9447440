/**
 * The authorization matrix: every operation of the OpenAPI document × every role (anonymous,
 * admin, auditor, and each project role) × its own project and another one. Every cell is
 * written out below; an operation added to the API without a row here fails the first test.
 *
 * Cells: `ok` (authorized: any answer but 401/403/404), `401`, `403` or `404` (a project, report
 * or resource the caller may not see is reported as missing, so ids cannot be probed). Calls that
 * are refused are made before the one that is allowed, and each refused call must leave the
 * target unchanged.
 */
import { randomUUID } from 'node:crypto';
import {
  addMember,
  asAdmin,
  createOrganization,
  createProject,
  createUser,
  type Org,
  type Project,
  type User,
} from '../support/factories';
import { pdf, upload } from '../support/evidence';
import { apiUrl, http } from '../support/http';
import { escalatingLine } from '../support/escalation-scenario';
import { until } from '../support/until';
import { solveChallenge, type Challenge } from '../../apps/api/src/feedback/proof-of-work';

const ACTORS = [
  'anonymous',
  'admin',
  'auditor',
  'contractor',
  'supervisor',
  'officer',
  'head',
  'observer',
] as const;
type Actor = (typeof ACTORS)[number];
type Cell = 'ok' | '401' | '403' | '404';
type Target = 'own' | 'other';

interface Site {
  project: Project;
  agency: Org;
  people: Record<Exclude<Actor, 'anonymous' | 'admin' | 'auditor'>, User>;
  /** A report in review, its first step open for the supervisor. */
  report: string;
  /** An escalated report's open escalation, handled by the head. */
  escalation: string;
  /** A notification of the site's supervisor. */
  notification: string;
  webhook: string;
  /** A file of the project: the contractor's upload, registered as a (private) document. */
  file: string;
  /** A citizen's question on the project, assigned to its agency officer. */
  feedback: string;
}

/** Uploads `text` as a PDF for `token`; its id. */
async function uploadPdf(token: string, text: string): Promise<string> {
  const uploaded = await upload(apiUrl(), token, pdf(text), 'matrix.pdf', 'application/pdf');
  expect(uploaded.status).toBe(201);
  return uploaded.body.id;
}

let sites: Record<Target, Site>;
let tokens: Record<Exclude<Actor, 'anonymous'>, string>;

async function site(): Promise<Site> {
  const agency = await createOrganization('agency');
  const builder = await createOrganization('contractor');
  const supervision = await createOrganization('supervisor');
  const project = await createProject(agency);
  const people = {
    contractor: await createUser(builder),
    supervisor: await createUser(supervision),
    officer: await createUser(agency),
    head: await createUser(agency),
    observer: await createUser(agency),
  };
  await addMember(project, people.contractor, 'contractor');
  await addMember(project, people.supervisor, 'supervisor');
  await addMember(project, people.officer, 'agency_officer');
  await addMember(project, people.head, 'agency_head');
  await addMember(project, people.observer, 'observer');
  const admin = await asAdmin();
  const line = await escalatingLine(project.id, { token: admin, sla: 'PT1S' });
  expect(line.status).toBe(200);
  const submit = async (kind: string) =>
    (
      await http<{ id: string }>('POST', `/api/v1/projects/${project.id}/reports`, {
        token: people.contractor.token,
        body: { kind, title: `Authorization ${kind}` },
      })
    ).body.id;
  const report = await submit('material_approval');
  const overdue = await submit('inspection_request');
  const escalation = await until('the escalation', async () => {
    const open = await http<{ items: Array<{ id: string; reportId: string }> }>(
      'GET',
      '/api/v1/escalations',
      {
        token: people.head.token,
      },
    );
    return open.body.items.find((e) => e.reportId === overdue)?.id;
  });
  const notification = await until('a notification', async () => {
    const mine = await http<{ items: Array<{ id: string }> }>('GET', '/api/v1/notifications', {
      token: people.supervisor.token,
    });
    return mine.body.items[0]?.id;
  });
  const webhook = await http<{ id: string }>('POST', `/api/v1/organizations/${agency.id}/webhooks`, {
    token: admin,
    body: { url: 'https://erp.example.go.kr/hooks' },
  });
  expect(webhook.status).toBe(201);
  const file = await uploadPdf(people.contractor.token, `site ${randomUUID()}`);
  const document = await http('POST', `/api/v1/projects/${project.id}/documents`, {
    token: people.contractor.token,
    body: { fileId: file, category: 'contract', title: 'Signed contract' },
  });
  expect(document.status).toBe(201);
  const challenge = (await http<Challenge>('GET', '/public/v1/feedback/challenge')).body;
  const { maxnumber: _max, ...signed } = challenge;
  const altcha = Buffer.from(JSON.stringify({ ...signed, number: solveChallenge(challenge) })).toString(
    'base64',
  );
  const question = await http<{ id: string }>('POST', `/public/v1/projects/${project.code}/feedback`, {
    body: { category: 'question', message: `When does ${project.code} finish?`, altcha },
  });
  expect(question.status).toBe(202);
  await until('the feedback to be assigned', async () =>
    (
      await http<{ assignees: string[] }>('GET', `/api/v1/feedback/${question.body.id}`, {
        token: people.officer.token,
      })
    ).body.assignees?.length
      ? true
      : undefined,
  );
  return {
    project,
    agency,
    people,
    report,
    escalation,
    notification,
    webhook: webhook.body.id,
    file,
    feedback: question.body.id,
  };
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

/** The expected cells in ACTORS order: anonymous admin auditor contractor supervisor officer head observer. */
const cells = (row: string): Record<Actor, Cell> => {
  const parts = row.split(/\s+/) as Cell[];
  if (parts.length !== ACTORS.length) throw new Error(`bad row ${row}`);
  return Object.fromEntries(ACTORS.map((a, i) => [a, parts[i]])) as Record<Actor, Cell>;
};

const ADMIN_ONLY = '401 ok 403 403 403 403 403 403';
const EVERYONE = '401 ok ok ok ok ok ok ok';
const MEMBERS = EVERYONE;
const NOT_MEMBERS = '401 ok ok 404 404 404 404 404';

interface Row {
  /** A fresh target per row and site, for operations that change it. */
  prepare?: (s: Site) => Promise<string>;
  call: (s: Site, fresh: string) => Call;
  own: string;
  other: string;
}

const newReport = async (s: Site, kind = 'material_approval') =>
  (
    await http<{ id: string }>('POST', `/api/v1/projects/${s.project.id}/reports`, {
      token: s.people.contractor.token,
      body: { kind, title: `Authorization ${kind}` },
    })
  ).body.id;

const ROWS: Record<string, Row> = {
  'POST /api/v1/organizations': {
    call: () => ({
      method: 'POST',
      path: '/api/v1/organizations',
      body: { name: `Org ${randomUUID()}`, kind: 'contractor' },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/organizations': {
    call: () => ({ method: 'GET', path: '/api/v1/organizations' }),
    own: ADMIN_AUDITOR(),
    other: ADMIN_AUDITOR(),
  },
  'GET /api/v1/organizations/{organizationId}': {
    call: (s) => ({ method: 'GET', path: `/api/v1/organizations/${s.agency.id}` }),
    own: EVERYONE,
    other: EVERYONE,
  },
  'POST /api/v1/users': {
    call: (s) => ({
      method: 'POST',
      path: '/api/v1/users',
      body: {
        username: `u.${randomUUID().slice(0, 8)}`,
        password: 'a-long-password-1',
        displayName: 'New',
        organizationId: s.agency.id,
      },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/users': {
    call: () => ({ method: 'GET', path: '/api/v1/users' }),
    own: ADMIN_AUDITOR(),
    other: ADMIN_AUDITOR(),
  },
  'POST /api/v1/users/{userId}/deactivate': {
    prepare: async (s) => (await createUser(s.agency)).id,
    call: (_, id) => ({ method: 'POST', path: `/api/v1/users/${id}/deactivate`, body: {} }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'POST /api/v1/users/{userId}/reactivate': {
    prepare: async (s) => (await createUser(s.agency)).id,
    call: (_, id) => ({ method: 'POST', path: `/api/v1/users/${id}/reactivate`, body: {} }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'POST /api/v1/users/{userId}/password': {
    // Someone else's password: an administrator resets it; nobody else may even see the account.
    prepare: async (s) => (await createUser(s.agency)).id,
    call: (_, id) => ({
      method: 'POST',
      path: `/api/v1/users/${id}/password`,
      body: { newPassword: 'a-new-password-2026' },
    }),
    own: '401 ok 404 404 404 404 404 404',
    other: '401 ok 404 404 404 404 404 404',
  },
  'DELETE /api/v1/projects/{projectId}/members/{userId}': {
    prepare: async (s) => {
      const user = await createUser(s.agency);
      await addMember(s.project, user, 'observer');
      return user.id;
    },
    call: (s, id) => ({ method: 'DELETE', path: `/api/v1/projects/${s.project.id}/members/${id}` }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/admin/stuck': {
    call: () => ({ method: 'GET', path: '/api/v1/admin/stuck' }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'POST /api/v1/admin/stuck/{reportId}/restart': {
    prepare: (s) => newReport(s),
    call: (_, id) => ({
      method: 'POST',
      path: `/api/v1/admin/stuck/${id}/restart`,
      body: { reason: 'Authorization matrix' },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'POST /api/v1/temporal/codec/decode': {
    call: () => ({ method: 'POST', path: '/api/v1/temporal/codec/decode', body: { payloads: [] } }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'POST /api/v1/temporal/codec/encode': {
    call: () => ({ method: 'POST', path: '/api/v1/temporal/codec/encode', body: { payloads: [] } }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/users/me': {
    call: () => ({ method: 'GET', path: '/api/v1/users/me' }),
    own: EVERYONE,
    other: EVERYONE,
  },
  'GET /api/v1/users/{userId}': {
    // The site's contractor: the contractor reads itself; nobody else but admin and auditor reads a user.
    call: (s) => ({ method: 'GET', path: `/api/v1/users/${s.people.contractor.id}` }),
    own: '401 ok ok ok 404 404 404 404',
    other: NOT_MEMBERS,
  },
  'POST /api/v1/projects': {
    call: (s) => ({
      method: 'POST',
      path: '/api/v1/projects',
      body: { code: `AZ-${randomUUID().slice(0, 8)}`, title: 'New', agencyOrganizationId: s.agency.id },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'PATCH /api/v1/projects/{projectId}': {
    call: (s) => ({
      method: 'PATCH',
      path: `/api/v1/projects/${s.project.id}`,
      body: { location: 'Jongno-gu' },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/projects': {
    call: () => ({ method: 'GET', path: '/api/v1/projects' }),
    own: EVERYONE,
    other: EVERYONE,
  },
  'GET /api/v1/projects/{projectId}': {
    call: (s) => ({ method: 'GET', path: `/api/v1/projects/${s.project.id}` }),
    own: MEMBERS,
    other: NOT_MEMBERS,
  },
  'GET /api/v1/projects/{projectId}/members': {
    call: (s) => ({ method: 'GET', path: `/api/v1/projects/${s.project.id}/members` }),
    own: MEMBERS,
    other: NOT_MEMBERS,
  },
  'PUT /api/v1/projects/{projectId}/members/{userId}': {
    call: (s) => ({
      method: 'PUT',
      path: `/api/v1/projects/${s.project.id}/members/${s.people.observer.id}`,
      body: { role: 'observer' },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/projects/{projectId}/approval-lines': {
    call: (s) => ({ method: 'GET', path: `/api/v1/projects/${s.project.id}/approval-lines` }),
    own: MEMBERS,
    other: NOT_MEMBERS,
  },
  'PUT /api/v1/projects/{projectId}/approval-lines/{reportKind}': {
    call: (s) => ({
      method: 'PUT',
      path: `/api/v1/projects/${s.project.id}/approval-lines/progress_report`,
      body: {
        steps: [{ key: 'review', name: 'Review', assigneeRole: 'supervisor', mode: 'any', sla: 'PT72H' }],
      },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'POST /api/v1/projects/{projectId}/reports': {
    call: (s) => ({
      method: 'POST',
      path: `/api/v1/projects/${s.project.id}/reports`,
      body: { kind: 'progress_report', title: 'Week 12' },
    }),
    own: '401 403 403 ok 403 403 403 403',
    other: '401 403 403 404 404 404 404 404',
  },
  'GET /api/v1/reports/{reportId}': {
    call: (s) => ({ method: 'GET', path: `/api/v1/reports/${s.report}` }),
    own: MEMBERS,
    other: NOT_MEMBERS,
  },
  'POST /api/v1/reports/{reportId}/decisions': {
    prepare: (s) => newReport(s),
    call: (_, id) => ({
      method: 'POST',
      path: `/api/v1/reports/${id}/decisions`,
      body: { action: 'approve' },
    }),
    own: '401 403 403 403 ok 403 403 403',
    other: '401 403 403 404 404 404 404 404',
  },
  'POST /api/v1/reports/{reportId}/delegations': {
    prepare: (s) => newReport(s),
    call: (s, id) => ({
      method: 'POST',
      path: `/api/v1/reports/${id}/delegations`,
      body: { toUserId: s.people.supervisor.id },
    }),
    own: '401 403 403 403 ok 403 403 403',
    other: '401 403 403 404 404 404 404 404',
  },
  'POST /api/v1/reports/{reportId}/resubmit': {
    prepare: (s) => newReport(s),
    call: (_, id) => ({ method: 'POST', path: `/api/v1/reports/${id}/resubmit`, body: {} }),
    own: '401 403 403 ok 403 403 403 403',
    other: '401 403 403 404 404 404 404 404',
  },
  'POST /api/v1/reports/{reportId}/withdraw': {
    prepare: (s) => newReport(s),
    call: (_, id) => ({ method: 'POST', path: `/api/v1/reports/${id}/withdraw`, body: {} }),
    own: '401 403 403 ok 403 403 403 403',
    other: '401 403 403 404 404 404 404 404',
  },
  'GET /api/v1/audit-events': {
    call: (s) => ({
      method: 'GET',
      path: `/api/v1/audit-events?subjectType=project&subjectId=${s.project.id}`,
    }),
    own: ADMIN_AUDITOR(),
    other: ADMIN_AUDITOR(),
  },
  'GET /api/v1/inbox': {
    call: () => ({ method: 'GET', path: '/api/v1/inbox' }),
    own: EVERYONE,
    other: EVERYONE,
  },
  'GET /api/v1/escalations': {
    call: () => ({ method: 'GET', path: '/api/v1/escalations' }),
    own: EVERYONE,
    other: EVERYONE,
  },
  'POST /api/v1/escalations/{escalationId}/resolve': {
    call: (s) => ({
      method: 'POST',
      path: `/api/v1/escalations/${s.escalation}/resolve`,
      body: { action: 'extend', extendBy: 'PT1H', justification: 'Authorization matrix' },
    }),
    own: '401 403 403 403 403 403 ok 403',
    other: '401 403 403 404 404 404 404 404',
  },
  'GET /api/v1/notifications': {
    call: () => ({ method: 'GET', path: '/api/v1/notifications' }),
    own: EVERYONE,
    other: EVERYONE,
  },
  'POST /api/v1/notifications/{notificationId}/read': {
    // The site's supervisor's notification: only its owner marks it read.
    call: (s) => ({ method: 'POST', path: `/api/v1/notifications/${s.notification}/read`, body: {} }),
    own: '401 404 404 404 ok 404 404 404',
    other: '401 404 404 404 404 404 404 404',
  },
  'POST /api/v1/organizations/{organizationId}/webhooks': {
    call: (s) => ({
      method: 'POST',
      path: `/api/v1/organizations/${s.agency.id}/webhooks`,
      body: { url: 'https://erp.example.go.kr/other' },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/organizations/{organizationId}/webhooks': {
    call: (s) => ({ method: 'GET', path: `/api/v1/organizations/${s.agency.id}/webhooks` }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'POST /api/v1/files': {
    // Anyone signed in may upload (a JSON body is refused as such: authorized, then 415).
    call: () => ({ method: 'POST', path: '/api/v1/files', body: {} }),
    own: EVERYONE,
    other: EVERYONE,
  },
  'GET /api/v1/files/{fileId}': {
    call: (s) => ({ method: 'GET', path: `/api/v1/files/${s.file}` }),
    own: MEMBERS,
    other: NOT_MEMBERS,
  },
  'POST /api/v1/admin/files/{fileId}/withdraw': {
    prepare: async (s) => uploadPdf(s.people.contractor.token, `withdrawn ${randomUUID()}`),
    call: (_, id) => ({
      method: 'POST',
      path: `/api/v1/admin/files/${id}/withdraw`,
      body: { reason: 'Authorization matrix' },
    }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
  'GET /api/v1/projects/{projectId}/reports': {
    call: (s) => ({ method: 'GET', path: `/api/v1/projects/${s.project.id}/reports` }),
    own: MEMBERS,
    other: NOT_MEMBERS,
  },
  'GET /api/v1/projects/{projectId}/documents': {
    call: (s) => ({ method: 'GET', path: `/api/v1/projects/${s.project.id}/documents` }),
    own: MEMBERS,
    other: NOT_MEMBERS,
  },
  'POST /api/v1/projects/{projectId}/documents': {
    // Those who take part in the project register its documents; observers and administrators do not.
    call: (s) => ({
      method: 'POST',
      path: `/api/v1/projects/${s.project.id}/documents`,
      body: { fileId: s.file, category: 'contract', title: 'Signed contract' },
    }),
    own: '401 403 403 ok ok ok ok 403',
    other: '401 403 403 404 404 404 404 404',
  },
  'GET /api/v1/feedback': {
    call: () => ({ method: 'GET', path: '/api/v1/feedback' }),
    own: '401 ok ok ok ok ok ok ok',
    other: '401 ok ok ok ok ok ok ok',
  },
  'GET /api/v1/feedback/{feedbackId}': {
    // Those it is assigned to and the project's moderators (officer, head); admins and auditors read all.
    call: (s) => ({ method: 'GET', path: `/api/v1/feedback/${s.feedback}` }),
    own: '401 ok ok 404 404 ok ok 404',
    other: '401 ok ok 404 404 404 404 404',
  },
  'POST /api/v1/feedback/{feedbackId}/answer': {
    call: (s) => ({
      method: 'POST',
      path: `/api/v1/feedback/${s.feedback}/answer`,
      body: { answer: 'In the spring.' },
    }),
    own: '401 403 403 404 404 ok 403 404',
    other: '401 403 403 404 404 404 404 404',
  },
  'POST /api/v1/feedback/{feedbackId}/moderate': {
    call: (s) => ({
      method: 'POST',
      path: `/api/v1/feedback/${s.feedback}/moderate`,
      body: { action: 'publish', reason: 'A fair question.' },
    }),
    own: '401 403 403 404 404 ok ok 404',
    other: '401 403 403 404 404 404 404 404',
  },
  'DELETE /api/v1/organizations/{organizationId}/webhooks/{webhookId}': {
    call: (s) => ({ method: 'DELETE', path: `/api/v1/organizations/${s.agency.id}/webhooks/${s.webhook}` }),
    own: ADMIN_ONLY,
    other: ADMIN_ONLY,
  },
};

function ADMIN_AUDITOR(): string {
  return '401 ok ok 403 403 403 403 403';
}

beforeAll(async () => {
  sites = { own: await site(), other: await site() };
  const agency = await createOrganization('agency');
  tokens = {
    admin: await asAdmin(),
    auditor: (await createUser(agency, 'auditor')).token,
    ...Object.fromEntries(Object.entries(sites.own.people).map(([role, user]) => [role, user.token])),
  } as Record<Exclude<Actor, 'anonymous'>, string>;
}, 60_000);

const tokenOf = (actor: Actor): string | undefined => (actor === 'anonymous' ? undefined : tokens[actor]);

/**
 * What a refused call must not change: the report's version, the escalation's status, the fresh
 * user's account, the project's members.
 */
async function fingerprint(s: Site, fresh: string | undefined): Promise<string> {
  const admin = await asAdmin();
  const report = fresh
    ? await http<{ version: number }>('GET', `/api/v1/reports/${fresh}`, { token: admin })
    : undefined;
  const user = fresh
    ? await http<{ active: boolean }>('GET', `/api/v1/users/${fresh}`, { token: admin })
    : undefined;
  const members = await http<{ items: Array<{ userId: string; role: string }> }>(
    'GET',
    `/api/v1/projects/${s.project.id}/members`,
    { token: admin },
  );
  const escalations = await http<{ items: Array<{ id: string }> }>('GET', '/api/v1/escalations', {
    token: s.people.head.token,
  });
  return JSON.stringify([
    report?.body.version,
    escalations.body.items.map((e) => e.id),
    user?.body?.active,
    members.body.items.map((m) => `${m.userId}:${m.role}`).sort(),
  ]);
}

it('has a row for every operation of the staff API', async () => {
  const spec = (await http<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/docs-json')).body;
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const staff = operations.filter((o) => o.includes(' /api/v1/') && o !== 'POST /api/v1/auth/token');
  expect(staff.sort()).toEqual(Object.keys(ROWS).sort());
  // Everything else needs no account: the token endpoint, health, the public API.
  for (const open of operations.filter((o) => !staff.includes(o)))
    expect(open).toMatch(
      /^(POST \/api\/v1\/auth\/token|GET \/(health|public\/v1)\/|POST \/public\/v1\/(projects\/\{code\}\/feedback|feedback\/\{trackingCode\}\/follow-up)$)/,
    );
});

describe.each(Object.entries(ROWS))('%s', (operation, row) => {
  it.each(['own', 'other'] as const)('on the %s project: every role gets its cell', async (target) => {
    const s = sites[target];
    const fresh = row.prepare ? await row.prepare(s) : '';
    const expected = cells(row[target]);
    // Refusals first, then the authorized calls, so an allowed change cannot mask a refusal.
    const order = [...ACTORS].sort((a, b) => Number(expected[a] === 'ok') - Number(expected[b] === 'ok'));
    const observed: Partial<Record<Actor, Cell>> = {};
    for (const actor of order) {
      const before = expected[actor] === 'ok' ? '' : await fingerprint(s, fresh || undefined);
      const { method, path, body } = row.call(s, fresh);
      const token = tokenOf(actor);
      const res = await http(method, path, {
        ...(token ? { token } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      observed[actor] = [401, 403, 404].includes(res.status) ? (String(res.status) as Cell) : 'ok';
      if (res.status >= 500) throw new Error(`${operation} as ${actor}: ${res.status} ${res.text}`);
      if (expected[actor] !== 'ok')
        expect([actor, await fingerprint(s, fresh || undefined)]).toEqual([actor, before]);
    }
    expect(observed).toEqual(expected);
  });
});

it('lists only what the caller may see: its projects, its inbox, its escalations, its notifications', async () => {
  const own = sites.own;
  const other = sites.other;
  const ids = async (path: string, token: string, key: string) =>
    (await http<{ items: Array<Record<string, string>> }>('GET', path, { token })).body.items.map(
      (i) => i[key],
    );
  for (const actor of ['contractor', 'supervisor', 'officer', 'head', 'observer'] as const) {
    const projects = await ids('/api/v1/projects?limit=200', own.people[actor].token, 'id');
    expect([actor, projects.includes(own.project.id), projects.includes(other.project.id)]).toEqual([
      actor,
      true,
      false,
    ]);
  }
  const inbox = await ids('/api/v1/inbox', own.people.supervisor.token, 'reportId');
  expect(inbox).toContain(own.report);
  expect(inbox).not.toContain(other.report);
  const escalations = await ids('/api/v1/escalations?status=resolved', own.people.head.token, 'id');
  expect(escalations).toContain(own.escalation);
  expect(escalations).not.toContain(other.escalation);
  const notifications = await ids('/api/v1/notifications', own.people.supervisor.token, 'id');
  expect(notifications).toContain(own.notification);
  expect(notifications).not.toContain(other.notification);
});
