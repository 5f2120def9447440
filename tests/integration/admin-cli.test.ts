/**
 * `npm run admin` against the test stack's database and Temporal, as a child process: output,
 * exit codes, audit rows naming the operator, one-time passwords the API honours as such, and an
 * import whose dry run changes nothing and whose re-run changes nothing more.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin } from '../support/admin-cli';
import { closeDb, count, db } from '../support/db';
import {
  createOrganization,
  createUser,
  tokenFor,
  unique,
  USER_PASSWORD,
  type Org,
} from '../support/factories';
import { apiUrl, http } from '../support/http';

let dir: string;
let agency: Org;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openccs-admin-'));
  agency = await createOrganization('agency');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeDb();
});

const OPERATOR = /^cli:[^@]+@.+$/;

async function auditOf(action: string, subjectId: string) {
  const { rows } = await db().query<{ actor_user_id: string | null; details: Record<string, unknown> }>(
    `SELECT actor_user_id, details FROM audit_events WHERE action = $1 AND subject_id = $2 ORDER BY id`,
    [action, subjectId],
  );
  return rows;
}

/** Everything an import could change. */
const snapshot = async () => ({
  organizations: await count('SELECT 1 FROM organizations'),
  users: await count('SELECT 1 FROM users'),
  projects: await count('SELECT 1 FROM projects'),
  members: await count('SELECT 1 FROM project_members'),
  audit: await count('SELECT 1 FROM audit_events'),
});

describe('usage', () => {
  it('exits 2 on an unknown command or a missing argument, 0 on --help', async () => {
    expect((await admin(['frobnicate'])).code).toBe(2);
    const missing = await admin(['reset-password']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'username'");
    const help = await admin(['--help']);
    expect(help.code).toBe(0);
    for (const command of [
      'reset-password',
      'create-user',
      'import',
      'stuck',
      'export-audit',
      'backup',
      'restore',
    ])
      expect(help.stdout).toContain(command);
  });
});

describe('reset-password', () => {
  it('prints a one-time password, ends every token, and the password serves only to choose a new one', async () => {
    const user = await createUser(agency);
    const run = await admin(['reset-password', user.username]);
    expect(run.code).toBe(0);
    const oneTime = run.stdout.trim();
    expect(oneTime).toMatch(/^[A-Za-z0-9]{24}$/);

    // The token issued before the reset has ended; the old password no longer signs in.
    expect((await http('GET', `/api/v1/users/${user.id}`, { token: user.token })).status).toBe(401);
    expect(
      (
        await http('POST', '/api/v1/auth/token', {
          body: { username: user.username, password: USER_PASSWORD },
        })
      ).status,
    ).toBe(401);

    // The one-time password signs in, but for nothing except changing it.
    const token = await tokenFor(user.username, oneTime);
    const refused = await http('GET', '/api/v1/projects', { token });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'auth.password_change_required' });
    const changed = await http('POST', `/api/v1/users/${user.id}/password`, {
      token,
      body: { currentPassword: oneTime, newPassword: 'my-own-new-password-1' },
    });
    expect(changed.status).toBe(204);
    const mine = await tokenFor(user.username, 'my-own-new-password-1');
    expect((await http('GET', '/api/v1/projects', { token: mine })).status).toBe(200);

    const [audit] = await auditOf('user.password_reset', user.id);
    expect(audit?.actor_user_id).toBeNull();
    expect(audit?.details).toMatchObject({ oneTime: true, operator: expect.stringMatching(OPERATOR) });
  });

  it('fails with exit code 1 for an unknown user and changes nothing', async () => {
    const before = await snapshot();
    const run = await admin(['reset-password', unique('nobody')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('user.not_found');
    expect(await snapshot()).toEqual(before);
  });
});

/** The console's sign-in form, as a browser without script posts it. */
async function consoleSignIn(username: string, password: string, newPassword?: string) {
  const form = await fetch(`${apiUrl()}/console/login`);
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${apiUrl()}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: csrf,
      next: '/console',
      username,
      password,
      ...(newPassword ? { newPassword } : {}),
    }),
  });
  return {
    status: res.status,
    text: await res.text(),
    session: res.headers.getSetCookie().some((c) => c.startsWith('openccs_session=')),
  };
}

describe('a one-time password in the console', () => {
  it('opens no session, asks for a new password on the same form, and signs in with it', async () => {
    const user = await createUser(agency);
    const oneTime = (await admin(['reset-password', user.username])).stdout.trim();
    const refused = await consoleSignIn(user.username, oneTime);
    expect(refused.status).toBe(403);
    expect(refused.session).toBe(false);
    expect(refused.text).toContain('name="newPassword"');
    const tooShort = await consoleSignIn(user.username, oneTime, 'short');
    expect(tooShort.status).toBe(400);
    expect(tooShort.session).toBe(false);
    const chosen = await consoleSignIn(user.username, oneTime, 'chosen-in-the-console-1');
    expect(chosen.status).toBe(303);
    expect(chosen.session).toBe(true);
    expect(await auditOf('user.password_change', user.id)).toHaveLength(1);
    // The one-time password is spent; the chosen one works everywhere.
    expect(
      (await http('POST', '/api/v1/auth/token', { body: { username: user.username, password: oneTime } }))
        .status,
    ).toBe(401);
    const token = await tokenFor(user.username, 'chosen-in-the-console-1');
    expect((await http('GET', '/api/v1/projects', { token })).status).toBe(200);
  });
});

describe('create-user', () => {
  it('creates an account with a one-time password, audited as the operator', async () => {
    const username = unique('cli.user');
    const run = await admin(['create-user', username, '--name', 'Kim Cli', '--organization', agency.name]);
    expect(run.code).toBe(0);
    const password = run.stdout.trim();
    const token = await tokenFor(username, password);
    expect((await http('GET', '/api/v1/projects', { token })).status).toBe(403);
    const { rows } = await db().query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [username]);
    const [audit] = await auditOf('user.create', rows[0]?.id ?? '');
    expect(audit?.actor_user_id).toBeNull();
    expect(audit?.details).toMatchObject({ username, operator: expect.stringMatching(OPERATOR) });
  });

  it('refuses what the API refuses, with exit code 1 and nothing created', async () => {
    const before = await snapshot();
    const badRole = await admin([
      'create-user',
      unique('cli.user'),
      '--name',
      'X',
      '--organization',
      agency.name,
      '--role',
      'king',
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('systemRole must be one of');
    const badOrg = await admin([
      'create-user',
      unique('cli.user'),
      '--name',
      'X',
      '--organization',
      unique('No such org'),
    ]);
    expect(badOrg.code).toBe(1);
    expect(await snapshot()).toEqual(before);
    expect((await admin(['create-user', unique('cli.user')])).code).toBe(2);
  });
});

describe('import', () => {
  const names = {
    agency: unique('Import Agency'),
    contractor: unique('Import Builders'),
    officer: unique('imp.officer'),
    builder: unique('imp.builder'),
    code: unique('IMP'),
  };
  const csv = () =>
    [
      'type,name,kind,username,display_name,organization,system_role,code,title,agency,project,user,role',
      `organization,${names.agency},agency,,,,,,,,,,`,
      `organization,${names.contractor},contractor,,,,,,,,,,`,
      `user,,,${names.officer},Officer One,${names.agency},,,,,,,`,
      `user,,,${names.builder},"Builder, Two",${names.contractor},staff,,,,,,`,
      `project,,,,,,,${names.code},Imported bridge,${names.agency},,,`,
      `member,,,,,,,,,,${names.code},${names.officer},agency_officer`,
      `member,,,,,,,,,,${names.code},${names.builder},contractor`,
    ].join('\n') + '\n';
  const bad = [
    'type,name,kind,username,display_name,organization,system_role,code,title,agency,project,user,role',
    'organization,Bad Kind,bank,,,,,,,,,,',
    'user,,,x,Too short,Nowhere Org,,,,,,,',
    `project,,,,,,,${unique('BAD')},Ordered by a builder,${names.contractor},,,`,
    `member,,,,,,,,,,${names.code},${names.builder},agency_head`,
    'gadget,,,,,,,,,,,,',
    'organization,Short line',
  ].join('\r\n');

  it('dry run: says what would happen line by line, and changes nothing', async () => {
    const file = join(dir, 'import.csv');
    writeFileSync(file, csv());
    const before = await snapshot();
    const run = await admin(['import', file, '--dry-run']);
    expect(run.stdout.trim().split('\n')).toEqual([
      `line 2\torganization\t${names.agency}\twould be created`,
      `line 3\torganization\t${names.contractor}\twould be created`,
      `line 4\tuser\t${names.officer}\twould be created`,
      `line 5\tuser\t${names.builder}\twould be created`,
      `line 6\tproject\t${names.code}\twould be created`,
      `line 7\tmember\t${names.code}/${names.officer}\twould be created`,
      `line 8\tmember\t${names.code}/${names.builder}\twould be created`,
    ]);
    expect(run.code).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('creates through the API services, audited as the operator; a re-run changes nothing', async () => {
    const file = join(dir, 'import.csv');
    writeFileSync(file, csv());
    const before = await snapshot();
    const run = await admin(['import', file]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((l) => l.split('\t')[3])).toEqual(Array(7).fill('created'));
    expect(lines[2]).toMatch(/\tone-time password: [A-Za-z0-9]{24}$/);
    const after = await snapshot();
    expect(after).toMatchObject({
      organizations: before.organizations + 2,
      users: before.users + 2,
      projects: before.projects + 1,
      members: before.members + 2,
    });
    const operatorRows = await count(
      `SELECT 1 FROM audit_events WHERE actor_user_id IS NULL AND details->>'operator' LIKE 'cli:%' AND id > (SELECT max(id) - 20 FROM audit_events)`,
    );
    expect(operatorRows).toBeGreaterThanOrEqual(7);

    const again = await admin(['import', file]);
    expect(again.code).toBe(0);
    expect(
      again.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[3]),
    ).toEqual(Array(7).fill('unchanged'));
    expect(await snapshot()).toEqual(after);
  });

  it('reports each bad line by number with its reason, exits 1, and imports the good ones only', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, bad);
    const before = await snapshot();
    const run = await admin(['import', file]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      /^line 2\torganization\tBad Kind\terror\tvalidation_failed: kind must be one of/,
    );
    expect(lines[1]).toMatch(/^line 3\tuser\tx\terror\t.*no organization Nowhere Org/);
    expect(lines[2]).toMatch(/^line 4\tproject\t.*\terror\tproject.agency_not_an_agency/);
    expect(lines[3]).toMatch(/^line 5\tmember\t.*\terror\tmember.role_not_allowed/);
    expect(lines[4]).toMatch(/^line 6\tgadget\t\terror\ttype must be one of/);
    expect(lines[5]).toMatch(/^line 7\torganization\tShort line\terror\thas 2 fields, the header 13/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file whose header names unknown columns', async () => {
    const file = join(dir, 'header.csv');
    writeFileSync(file, 'type,colour\norganization,red\n');
    const run = await admin(['import', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown: colour');
  });
});

describe('export-audit', () => {
  it('writes the audit log oldest first as JSON lines or CSV, within --since/--until', async () => {
    const since = new Date(Date.now() - 60 * 60_000).toISOString();
    const jsonl = await admin(['export-audit', '--since', since]);
    expect(jsonl.code).toBe(0);
    const events = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; occurredAt: string });
    expect(events.length).toBeGreaterThan(5);
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events.every((e) => e.occurredAt >= since)).toBe(true);

    const file = join(dir, 'audit.csv');
    const csv = await admin(['export-audit', '--since', since, '--format', 'csv', '--output', file]);
    expect(csv.code).toBe(0);
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,occurredAt,actorUserId,action,subjectType,subjectId,requestId,details');
    expect(rows.length).toBeGreaterThanOrEqual(events.length + 1);

    expect((await admin(['export-audit', '--until', '2026-11-31T25:00:00Z'])).code).toBe(2);
    expect((await admin(['export-audit', '--format', 'xml'])).code).toBe(2);
  });
});

describe('stuck', () => {
  it('lists what needs an operator (nothing here) with exit code 0', async () => {
    const run = await admin(['stuck', '--json']);
    expect(run.code).toBe(0);
    for (const line of run.stdout.split('\n').filter(Boolean))
      expect(JSON.parse(line)).toMatchObject({ workflowId: expect.any(String), remedy: expect.any(String) });
  });
});

// Last: it ends every token of the admin, which the factories above sign in as.
describe('reset-password admin', () => {
  it('keeps the admin able to sign in: npm run admin -- reset-password admin', async () => {
    const run = await admin(['reset-password', 'admin']);
    expect(run.code).toBe(0);
    const token = await tokenFor('admin', run.stdout.trim());
    const { rows } = await db().query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`);
    const adminId = rows[0]?.id ?? '';
    // Put the test suite's admin password back, through the rule every user goes by.
    const back = await http('POST', `/api/v1/users/${adminId}/password`, {
      token,
      body: { currentPassword: run.stdout.trim(), newPassword: process.env.OPENCCS_TEST_ADMIN_PASSWORD },
    });
    expect(back.status).toBe(204);
  });
});
