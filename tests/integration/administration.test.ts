/**
 * Organizations, users, projects and memberships exactly as PRODUCT.md's contract says:
 * admin-only writes, reads limited to members/admins/auditors, an audit event for every change,
 * and a refused request changing nothing.
 */
import { Client, Connection } from '@temporalio/client';
import { projectSetupWorkflowId } from '@openccs/contracts';
import {
  addMember,
  asAdmin,
  createOrganization,
  createProject,
  createUser,
  unique,
  USER_PASSWORD,
  type Org,
} from '../support/factories';
import { http } from '../support/http';
import { REPORT_KINDS } from '../support/profile';
import { closeDb, count, db } from '../support/db';
import { testDataConverter } from '../support/temporal';

let agency: Org;
let contractorOrg: Org;

beforeAll(async () => {
  agency = await createOrganization('agency');
  contractorOrg = await createOrganization('contractor');
});
afterAll(closeDb);

const auditCount = (action: string, subjectId: string) =>
  count('SELECT 1 FROM audit_events WHERE action = $1 AND subject_id = $2', [action, subjectId]);

describe('organizations', () => {
  it('are created by an admin, with an audit event', async () => {
    const name = unique('Sfax Regional Directorate');
    const res = await http('POST', '/api/v1/organizations', {
      token: await asAdmin(),
      body: { name, kind: 'agency' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name, kind: 'agency', createdAt: expect.any(String) });
    expect(await auditCount('organization.create', res.body.id as string)).toBe(1);
  });

  it('refuse an invalid body with every bad field listed, and create nothing', async () => {
    const before = await count('SELECT 1 FROM organizations');
    const res = await http('POST', '/api/v1/organizations', {
      token: await asAdmin(),
      body: { name: '   ', kind: 'bank', color: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', code: 'validation_failed' });
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['color', 'kind', 'name']);
    expect(await count('SELECT 1 FROM organizations')).toBe(before);
  });

  it('honour an Idempotency-Key: a retry returns the first organization and creates nothing more', async () => {
    const name = unique('Monastir Public Works');
    const send = (body: unknown) =>
      http<{ id: string }>('POST', '/api/v1/organizations', {
        token: adminToken,
        body,
        headers: { 'idempotency-key': `org-${name.replaceAll(' ', '-')}` },
      });
    const adminToken = await asAdmin();
    const first = await send({ name, kind: 'agency' });
    const retry = await send({ name, kind: 'agency' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect((await send({ name, kind: 'contractor' })).status).toBe(422);
    expect(await count('SELECT 1 FROM organizations WHERE name = $1', [name])).toBe(1);
    expect(await auditCount('organization.create', first.body.id)).toBe(1);
  });

  it('refuse a duplicate name with 409', async () => {
    const res = await http('POST', '/api/v1/organizations', {
      token: await asAdmin(),
      body: { name: agency.name.toUpperCase(), kind: 'agency' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'organization.name_taken', errors: [{ field: 'name' }] });
  });
});

describe('users', () => {
  it('are created by an admin and never expose the password or its hash', async () => {
    const username = unique('kim.minjun');
    const res = await http('POST', '/api/v1/users', {
      token: await asAdmin(),
      body: {
        username,
        password: USER_PASSWORD,
        displayName: 'Kim Min-jun',
        organizationId: contractorOrg.id,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      username,
      displayName: 'Kim Min-jun',
      organizationId: contractorOrg.id,
      systemRole: 'staff',
      active: true,
      createdAt: expect.any(String),
    });
    expect(res.text).not.toContain(USER_PASSWORD);
    expect(res.text).not.toMatch(/argon2|hash/i);
    const read = await http('GET', `/api/v1/users/${res.body.id as string}`, { token: await asAdmin() });
    expect(read.text).not.toMatch(/argon2|hash|password/i);
    expect(await auditCount('user.create', res.body.id as string)).toBe(1);
    // The audit event does not carry the password either.
    const { rows } = await db().query('SELECT details::text AS d FROM audit_events WHERE subject_id = $1', [
      res.body.id,
    ]);
    expect(JSON.stringify(rows)).not.toContain(USER_PASSWORD);
  });

  it('refuse a short password, a bad username and a missing organization together', async () => {
    const res = await http('POST', '/api/v1/users', {
      token: await asAdmin(),
      body: { username: 'a b', password: 'short', displayName: 'X' },
    });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['organizationId', 'password', 'username']);
  });

  it('refuse an organization that does not exist with 422 naming the field', async () => {
    const res = await http('POST', '/api/v1/users', {
      token: await asAdmin(),
      body: {
        username: unique('ghost'),
        password: USER_PASSWORD,
        displayName: 'Ghost',
        organizationId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'request.unknown_reference',
      errors: [{ field: 'organizationId' }],
    });
  });

  it('refuse a taken username with 409', async () => {
    const user = await createUser(contractorOrg);
    const res = await http('POST', '/api/v1/users', {
      token: await asAdmin(),
      body: {
        username: user.username,
        password: USER_PASSWORD,
        displayName: 'Twin',
        organizationId: contractorOrg.id,
      },
    });
    expect(res.status).toBe(409);
  });
});

describe('projects', () => {
  it('are created by an admin; the setup workflow seeds the default approval lines through an activity', async () => {
    const code = unique('SEOUL-2026');
    const res = await http('POST', '/api/v1/projects', {
      token: await asAdmin(),
      body: {
        code,
        title: 'Gangnam storm drain renewal',
        agencyOrganizationId: agency.id,
        description: 'Renewal of 2.4 km of storm drains',
        location: 'Gangnam-gu, Seoul',
        contractAmount: { value: 3_150_000_000, currency: 'KRW' },
        startDate: '2026-04-01',
        endDate: '2027-03-31',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code,
      title: 'Gangnam storm drain renewal',
      agencyOrganizationId: agency.id,
      contractAmount: { value: 3_150_000_000, currency: 'KRW' },
      startDate: '2026-04-01',
      endDate: '2027-03-31',
      status: 'planned',
    });
    const projectId = res.body.id as string;
    expect(await auditCount('project.create', projectId)).toBe(1);

    // The real worker ran the workflow on the real server and wrote through the activity.
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection, dataConverter: testDataConverter() });
      const result = await client.workflow.getHandle(projectSetupWorkflowId(projectId)).result();
      expect(result).toEqual({ approvalLinesCreated: REPORT_KINDS.length });
    } finally {
      await connection.close();
    }
    const lines = await http<{ items: Array<{ reportKind: string; version: number; steps: unknown[] }> }>(
      'GET',
      `/api/v1/projects/${projectId}/approval-lines`,
      { token: await asAdmin() },
    );
    expect(lines.body.items.map((l) => l.reportKind).sort()).toEqual([...REPORT_KINDS].sort());
    expect(lines.body.items.every((l) => l.version === 1 && l.steps.length > 0)).toBe(true);
    expect(await count('SELECT 1 FROM approval_lines WHERE project_id = $1', [projectId])).toBe(
      REPORT_KINDS.length,
    );
  });

  it('refuse every bad field at once and create nothing', async () => {
    const before = await count('SELECT 1 FROM projects');
    const res = await http('POST', '/api/v1/projects', {
      token: await asAdmin(),
      body: {
        code: '-bad code-',
        title: '',
        agencyOrganizationId: 'not-a-uuid',
        contractAmount: { value: -5, currency: 'won' },
        startDate: '2026-02-30',
        endDate: '2025-01-01',
        status: 'dreaming',
      },
    });
    expect(res.status).toBe(400);
    const fields = new Set((res.body.errors as Array<{ field: string }>).map((e) => e.field));
    expect([...fields].sort()).toEqual(
      [
        'agencyOrganizationId',
        'code',
        'contractAmount.currency',
        'contractAmount.value',
        'endDate',
        'startDate',
        'status',
        'title',
      ].sort(),
    );
    expect(await count('SELECT 1 FROM projects')).toBe(before);
  });

  it('refuse an end date before the start date', async () => {
    const res = await http('POST', '/api/v1/projects', {
      token: await asAdmin(),
      body: {
        code: unique('P'),
        title: 'T',
        agencyOrganizationId: agency.id,
        startDate: '2026-05-01',
        endDate: '2026-04-30',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'endDate', message: 'endDate must not be before startDate' }]);
  });

  it('must be ordered by an agency, and codes are unique', async () => {
    const notAgency = await http('POST', '/api/v1/projects', {
      token: await asAdmin(),
      body: { code: unique('P'), title: 'T', agencyOrganizationId: contractorOrg.id },
    });
    expect(notAgency.status).toBe(422);
    expect(notAgency.body).toMatchObject({ code: 'project.agency_not_an_agency' });
    const project = await createProject(agency);
    const twice = await http('POST', '/api/v1/projects', {
      token: await asAdmin(),
      body: { code: project.code, title: 'T', agencyOrganizationId: agency.id },
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'project.code_taken', errors: [{ field: 'code' }] });
    // A code that differs only in case is the same code to a citizen reading it.
    const recased = await http('POST', '/api/v1/projects', {
      token: await asAdmin(),
      body: { code: project.code.toLowerCase(), title: 'T', agencyOrganizationId: agency.id },
    });
    expect([recased.status, recased.body.code]).toEqual([409, 'project.code_taken']);
  });

  it('are readable by members, admins and auditors; others are told it does not exist', async () => {
    const project = await createProject(agency);
    const member = await createUser(contractorOrg);
    const outsider = await createUser(contractorOrg);
    const auditor = await createUser(agency, 'auditor');
    await addMember(project, member, 'contractor');

    const read = (token: string) => http('GET', `/api/v1/projects/${project.id}`, { token });
    expect((await read(member.token)).status).toBe(200);
    expect((await read(auditor.token)).status).toBe(200);
    expect((await read(await asAdmin())).status).toBe(200);
    const refused = await read(outsider.token);
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ code: 'project.not_found' });
    expect(
      (await http('GET', `/api/v1/projects/${project.id}/members`, { token: outsider.token })).status,
    ).toBe(404);

    const mine = await http<{ items: Array<{ id: string }> }>('GET', '/api/v1/projects', {
      token: member.token,
    });
    expect(mine.body.items.map((p) => p.id)).toEqual([project.id]);
    expect(
      (await http<{ items: unknown[] }>('GET', '/api/v1/projects', { token: outsider.token })).body.items,
    ).toEqual([]);
  });

  it('paginate with a cursor', async () => {
    for (let i = 0; i < 3; i++) await createProject(agency);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await http<{ items: Array<{ id: string }>; nextCursor: string | null }>(
        'GET',
        `/api/v1/projects${query}`,
        { token: await asAdmin() },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      page.body.items.forEach((p) => seen.add(p.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(seen.size).toBe(await count('SELECT 1 FROM projects'));
    const bad = await http('GET', '/api/v1/projects?limit=0&cursor=%%%', { token: await asAdmin() });
    expect(bad.status).toBe(400);
  });
});

describe('project members', () => {
  it('are set by an admin, role changes are audited with the previous role', async () => {
    const project = await createProject(agency);
    const officer = await createUser(agency);
    const path = `/api/v1/projects/${project.id}/members/${officer.id}`;
    const added = await http('PUT', path, { token: await asAdmin(), body: { role: 'agency_officer' } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ projectId: project.id, userId: officer.id, role: 'agency_officer' });
    const changed = await http('PUT', path, { token: await asAdmin(), body: { role: 'agency_head' } });
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe('agency_head');
    const { rows } = await db().query(
      `SELECT action, details FROM audit_events WHERE subject_id = $1 AND action LIKE 'project.member%' ORDER BY id`,
      [project.id],
    );
    expect(rows).toEqual([
      { action: 'project.member_add', details: { userId: officer.id, role: 'agency_officer' } },
      {
        action: 'project.member_change_role',
        details: { userId: officer.id, role: 'agency_head', previousRole: 'agency_officer' },
      },
    ]);
    const members = await http<{ items: Array<{ userId: string; role: string }> }>(
      'GET',
      `/api/v1/projects/${project.id}/members`,
      { token: officer.token },
    );
    expect(members.body.items).toEqual([
      expect.objectContaining({ userId: officer.id, role: 'agency_head' }),
    ]);
  });

  it("refuse a role that does not fit the user's organization (422), unknown users (404), bad roles (400)", async () => {
    const project = await createProject(agency);
    const contractor = await createUser(contractorOrg);
    const wrong = await http('PUT', `/api/v1/projects/${project.id}/members/${contractor.id}`, {
      token: await asAdmin(),
      body: { role: 'agency_head' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'member.role_not_allowed', errors: [{ field: 'role' }] });
    const ghost = await http(
      'PUT',
      `/api/v1/projects/${project.id}/members/00000000-0000-4000-8000-000000000000`,
      {
        token: await asAdmin(),
        body: { role: 'observer' },
      },
    );
    expect(ghost.status).toBe(404);
    const badRole = await http('PUT', `/api/v1/projects/${project.id}/members/${contractor.id}`, {
      token: await asAdmin(),
      body: { role: 'king' },
    });
    expect(badRole.status).toBe(400);
    const badId = await http('PUT', `/api/v1/projects/${project.id}/members/42`, {
      token: await asAdmin(),
      body: { role: 'observer' },
    });
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ field: 'userId', message: 'userId must be a UUID' }]);
    expect(await count('SELECT 1 FROM project_members WHERE project_id = $1', [project.id])).toBe(0);
  });
});

describe('function-level authorization', () => {
  it('gives staff and auditors 403 on every admin route, and changes nothing', async () => {
    const staff = await createUser(contractorOrg);
    const auditor = await createUser(agency, 'auditor');
    const project = await createProject(agency);
    const before = await count('SELECT 1 FROM audit_events');
    for (const token of [staff.token, auditor.token]) {
      const calls = [
        http('POST', '/api/v1/organizations', { token, body: { name: unique('x'), kind: 'agency' } }),
        http('POST', '/api/v1/users', {
          token,
          body: {
            username: unique('x'),
            password: USER_PASSWORD,
            displayName: 'X',
            organizationId: agency.id,
          },
        }),
        http('POST', '/api/v1/projects', {
          token,
          body: { code: unique('X'), title: 'X', agencyOrganizationId: agency.id },
        }),
        http('PUT', `/api/v1/projects/${project.id}/members/${staff.id}`, {
          token,
          body: { role: 'contractor' },
        }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ code: 'access.forbidden' });
      }
    }
    expect(await count('SELECT 1 FROM audit_events')).toBe(before);
  });
});

describe('the user lifecycle', () => {
  const login = (username: string, password: string) =>
    http<{ accessToken: string }>('POST', '/api/v1/auth/token', { body: { username, password } });

  it('lists every account to administrators and auditors, paged', async () => {
    const admin = await asAdmin();
    const first = await http<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      'GET',
      '/api/v1/users?limit=2',
      { token: admin },
    );
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(JSON.stringify(first.body)).not.toMatch(/password/i);
    const next = await http<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/users?limit=2&cursor=${first.body.nextCursor}`,
      { token: admin },
    );
    expect(next.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
  });

  it('deactivates an account: its tokens end at once, it cannot sign in, and it comes back on reactivation', async () => {
    const admin = await asAdmin();
    const user = await createUser(agency);
    const deactivated = await http<{ active: boolean }>('POST', `/api/v1/users/${user.id}/deactivate`, {
      token: admin,
      body: {},
    });
    expect([deactivated.status, deactivated.body.active]).toEqual([200, false]);
    expect((await http('GET', '/api/v1/users/me', { token: user.token })).status).toBe(401);
    expect((await login(user.username, USER_PASSWORD)).status).toBe(401);
    const reactivated = await http<{ active: boolean }>('POST', `/api/v1/users/${user.id}/reactivate`, {
      token: admin,
      body: {},
    });
    expect([reactivated.status, reactivated.body.active]).toEqual([200, true]);
    // The old token stays ended; a new sign-in works.
    expect((await http('GET', '/api/v1/users/me', { token: user.token })).status).toBe(401);
    expect((await login(user.username, USER_PASSWORD)).status).toBe(200);
    expect(await auditCount('user.deactivate', user.id)).toBe(1);
    expect(await auditCount('user.reactivate', user.id)).toBe(1);
    const me = (await http<{ id: string }>('GET', '/api/v1/users/me', { token: admin })).body;
    expect((await http('POST', `/api/v1/users/${me.id}/deactivate`, { token: admin, body: {} })).status).toBe(
      409,
    );
  });

  it('changes one’s own password with the current one, ending every other token', async () => {
    const user = await createUser(agency);
    const other = (await login(user.username, USER_PASSWORD)).body.accessToken;
    const change = (body: Record<string, unknown>) =>
      http('POST', `/api/v1/users/${user.id}/password`, { token: user.token, body });
    expect((await change({ newPassword: 'a-new-password-2026' })).status).toBe(403);
    expect(
      (await change({ currentPassword: 'not-my-password', newPassword: 'a-new-password-2026' })).status,
    ).toBe(403);
    expect((await change({ currentPassword: USER_PASSWORD, newPassword: 'short' })).status).toBe(400);
    expect((await login(user.username, USER_PASSWORD)).status).toBe(200); // nothing changed so far
    expect(
      (await change({ currentPassword: USER_PASSWORD, newPassword: 'a-new-password-2026' })).status,
    ).toBe(204);
    expect((await http('GET', '/api/v1/users/me', { token: other })).status).toBe(401);
    expect((await login(user.username, USER_PASSWORD)).status).toBe(401);
    expect((await login(user.username, 'a-new-password-2026')).status).toBe(200);
    expect(await auditCount('user.password_change', user.id)).toBe(1);
    // Someone else's password is not theirs to change, nor to learn about.
    const stranger = await createUser(agency);
    const refused = await http('POST', `/api/v1/users/${user.id}/password`, {
      token: stranger.token,
      body: { currentPassword: USER_PASSWORD, newPassword: 'taken-over-2026' },
    });
    expect(refused.status).toBe(404);
  });

  it('lets an administrator reset a password, which lifts a lock-out and ends the old tokens', async () => {
    const admin = await asAdmin();
    const user = await createUser(agency);
    for (let i = 0; i < 6; i++) await login(user.username, 'wrong-password-1');
    expect((await login(user.username, USER_PASSWORD)).status).toBe(429);
    const reset = await http('POST', `/api/v1/users/${user.id}/password`, {
      token: admin,
      body: { newPassword: 'reset-by-admin-2026' },
    });
    expect(reset.status).toBe(204);
    expect((await http('GET', '/api/v1/users/me', { token: user.token })).status).toBe(401);
    expect((await login(user.username, 'reset-by-admin-2026')).status).toBe(200);
    expect(await auditCount('user.password_reset', user.id)).toBe(1);
    const details = await db().query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'user.password_reset' AND subject_id = $1`,
      [user.id],
    );
    expect(JSON.stringify(details.rows)).not.toContain('reset-by-admin-2026');
  });

  it('removes a member, audited; a member that is not one is 404', async () => {
    const admin = await asAdmin();
    const project = await createProject(agency);
    const user = await createUser(agency);
    await addMember(project, user, 'observer');
    const removed = await http('DELETE', `/api/v1/projects/${project.id}/members/${user.id}`, {
      token: admin,
    });
    expect(removed.status).toBe(204);
    expect((await http('GET', `/api/v1/projects/${project.id}`, { token: user.token })).status).toBe(404);
    expect(
      (await http('DELETE', `/api/v1/projects/${project.id}/members/${user.id}`, { token: admin })).status,
    ).toBe(404);
    expect(await auditCount('project.member_remove', project.id)).toBe(1);
  });

  it('caps a project at 25 members in one deciding role, the most a step can be assigned to', async () => {
    const admin = await asAdmin();
    const project = await createProject(agency);
    const supervision = await createOrganization('supervisor');
    for (let i = 0; i < 25; i++) await addMember(project, await createUser(supervision), 'supervisor');
    const one = await createUser(supervision);
    const res = await http<{ code: string }>('PUT', `/api/v1/projects/${project.id}/members/${one.id}`, {
      token: admin,
      body: { role: 'supervisor' },
    });
    expect([res.status, res.body.code]).toEqual([409, 'member.limit_reached']);
    expect(
      (
        await http('PUT', `/api/v1/projects/${project.id}/members/${one.id}`, {
          token: admin,
          body: { role: 'observer' },
        })
      ).status,
    ).toBe(200);
  }, 60_000);
});
