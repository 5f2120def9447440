/**
 * `npm start` as a newcomer runs it: the built launcher with embedded PostgreSQL and a Temporal
 * dev server, driven over HTTP. Proves the "must show": ready within a minute, the
 * contract's administration flow, data kept across a clean stop, a SIGKILL of every process and
 * a Ctrl-C (SIGINT to the whole process group).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { castDesignChange, runDesignChangeScenario } from '../support/design-change';
import { runEscalationScenario } from '../support/escalation-scenario';
import { http } from '../support/http';
import { groupAlive, launch, launcherEnv, waitFor as until, type Running } from '../support/launcher';

const ROOT = join(__dirname, '../..');
const run = promisify(execFile);

describe('npm start', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let running: Running | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'openccs-e2e-'));
    ({ env, base } = await launcherEnv(dataDir));
  });

  afterAll(async () => {
    if (running?.child.pid && groupAlive(running.child.pid)) process.kill(-running.child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<Running> {
    const startedAt = Date.now();
    const launched = await launch(env, base);
    expect(Date.now() - startedAt).toBeLessThan(60_000);
    return launched;
  }

  async function token(password: string): Promise<string> {
    const res = await http<{ accessToken: string }>('POST', '/api/v1/auth/token', {
      base,
      body: { username: 'admin', password },
    });
    expect(res.status).toBe(200);
    return res.body.accessToken;
  }

  it('comes up, serves the contract, and keeps every piece of data through a stop, a SIGKILL of everything and a Ctrl-C', async () => {
    // First start: empty data dir, so it creates the admin with a generated password, printed once.
    running = await start();
    const password = /Username: admin {2}Password: (\S+)/.exec(running.output())?.[1];
    expect(password).toBeDefined();
    const admin = await token(password ?? '');
    const as = (t: string) => ({ base, token: t });

    const agency = await http<{ id: string }>('POST', '/api/v1/organizations', {
      ...as(admin),
      body: { name: 'Tunis Municipality', kind: 'agency' },
    });
    expect(agency.status).toBe(201);
    const contractor = await http<{ id: string }>('POST', '/api/v1/organizations', {
      ...as(admin),
      body: { name: 'Carthage Works SA', kind: 'contractor' },
    });
    const user = await http<{ id: string }>('POST', '/api/v1/users', {
      ...as(admin),
      body: {
        username: 'amel.ben.salah',
        password: 'chantier-2026-tunis',
        displayName: 'Amel Ben Salah',
        organizationId: contractor.body.id,
      },
    });
    expect(user.status).toBe(201);
    expect(user.text).not.toMatch(/password|argon2/i);
    const project = await http<{ id: string }>('POST', '/api/v1/projects', {
      ...as(admin),
      body: {
        code: 'TN-2026-0042',
        title: 'Rue de Marseille drainage',
        agencyOrganizationId: agency.body.id,
        contractAmount: { value: 1_250_000.5, currency: 'TND' },
      },
    });
    expect(project.status).toBe(201);
    const member = await http('PUT', `/api/v1/projects/${project.body.id}/members/${user.body.id}`, {
      ...as(admin),
      body: { role: 'contractor' },
    });
    expect(member.status).toBe(200);

    const invalid = await http('POST', '/api/v1/projects', {
      ...as(admin),
      body: { code: '', title: 7, extra: 1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect((invalid.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(
      expect.arrayContaining(['code', 'title', 'agencyOrganizationId', 'extra']),
    );

    const staffToken = (
      await http<{ accessToken: string }>('POST', '/api/v1/auth/token', {
        base,
        body: { username: 'amel.ben.salah', password: 'chantier-2026-tunis' },
      })
    ).body.accessToken;
    expect(
      (
        await http('POST', '/api/v1/organizations', {
          ...as(staffToken),
          body: { name: 'x', kind: 'agency' },
        })
      ).status,
    ).toBe(403);
    const demo = await http<{ items: Array<{ id: string; code: string }> }>(
      'GET',
      '/api/v1/projects',
      as(admin),
    );
    const demoProject = demo.body.items.find((p) => p.code === 'SEOUL-2026-0001');
    expect(demoProject).toBeDefined();
    expect([403, 404]).toContain(
      (await http('GET', `/api/v1/projects/${demoProject?.id}`, as(staffToken))).status,
    );
    expect((await http('GET', `/api/v1/projects/${project.body.id}`, as(staffToken))).status).toBe(200);

    // Issue 3's scenario on the built system: a design change through its whole line.
    const people = await castDesignChange(base, admin, agency.body.id, contractor.body.id, project.body.id);
    const dc = await runDesignChangeScenario(base, project.body.id, people);
    // Issue 4's scenario: a 3-second SLA escalates to the agency head, who extends or decides.
    await runEscalationScenario(base, admin, project.body.id, people);
    // Issue 5: the public log of those steps checks out with the shipped verifier (the npm script itself).
    const records = await http<{ items: Array<{ report: { id: string } }> }>(
      'GET',
      `/public/v1/records?limit=1000`,
      { base },
    );
    expect(records.body.items.filter((r) => r.report?.id === dc)).toHaveLength(5);
    const verified = await run('npm', ['run', '--silent', 'verify', '--', '--url', base], { cwd: ROOT });
    expect(verified.stdout).toMatch(/^OK: \d+ records/);
    // A second report stays mid-line through the restarts below.
    const pending = await http<{ id: string }>('POST', `/api/v1/projects/${project.body.id}/reports`, {
      ...as(people.contractor),
      body: { kind: 'inspection_request', title: 'Pier 2 rebar inspection' },
    });
    expect(pending.status).toBe(201);

    // A clean stop (SIGTERM to the launcher alone) stops every process it started, and exits 0.
    const first = running;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).not.toContain('was killed');
    await until('every process of the first start to end', () => !groupAlive(first.child.pid ?? 0), 30_000);

    // Second start: same data, the password is not shown again, and workflows still run.
    running = await start();
    expect(running.output()).not.toContain('Password:');
    const admin2 = await token(password ?? '');
    expect((await http('GET', `/api/v1/projects/${project.body.id}`, as(admin2))).body).toMatchObject({
      code: 'TN-2026-0042',
      contractAmount: { value: 1_250_000.5, currency: 'TND' },
    });
    const second = await http<{ id: string }>('POST', '/api/v1/projects', {
      ...as(admin2),
      body: {
        code: 'TN-2026-0043',
        title: 'Avenue Habib Bourguiba lighting',
        agencyOrganizationId: agency.body.id,
      },
    });
    expect(second.status).toBe(201);

    // A crash of everything at once, right after a change: SIGKILL to every process of the stack.
    const crashed = running;
    process.kill(-(crashed.child.pid ?? 0), 'SIGKILL');
    await until('every process to die', () => !groupAlive(crashed.child.pid ?? 0), 30_000);

    // Third start, on whatever the crash left: all data is back, and the setup workflow of the
    // project created just before the crash has completed (Temporal kept it).
    running = await start();
    const admin3 = await token(password ?? '');
    const members = await http<{ items: Array<{ userId: string; role: string }> }>(
      'GET',
      `/api/v1/projects/${project.body.id}/members`,
      as(admin3),
    );
    expect(members.body.items).toHaveLength(5);
    expect(members.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: user.body.id, role: 'contractor' })]),
    );
    await until(
      'the approval lines of the project created before the crash',
      async () =>
        (
          await http<{ items: unknown[] }>(
            'GET',
            `/api/v1/projects/${second.body.id}/approval-lines`,
            as(admin3),
          )
        ).body.items.length === 7,
      30_000,
    );

    // The workflows survived the crash: the approved report reads the same, the pending one goes on.
    expect(
      (await http<{ status: string }>('GET', `/api/v1/reports/${dc}`, as(people.head))).body.status,
    ).toBe('approved');
    // Work in flight when everything died resumes within seconds; until then the API answers 503
    // and the client retries with the same Idempotency-Key, as the contract says. Applied once.
    const decideAfterCrash = () =>
      http<{ status: string; decisions: unknown[] }>('POST', `/api/v1/reports/${pending.body.id}/decisions`, {
        ...as(people.supervisor),
        body: { action: 'approve' },
        headers: { 'idempotency-key': 'after-crash-1' },
      });
    let resumed = await decideAfterCrash();
    for (let attempt = 0; resumed.status === 503 && attempt < 3; attempt++)
      resumed = await decideAfterCrash();
    if (resumed.status !== 200) {
      throw new Error(
        `decision after restart: ${resumed.status} ${resumed.text}\n${running.output().slice(-6000)}`,
      );
    }
    expect(resumed.body.decisions).toHaveLength(1);
    expect(resumed.body.status).toBe('approved');

    // Ctrl-C in a terminal: SIGINT to the whole foreground process group.
    const last = running;
    process.kill(-(last.child.pid ?? 0), 'SIGINT');
    expect(await last.exited).toBe(0);
    expect(last.output()).not.toContain('was killed');
    await until('every process to end after Ctrl-C', () => !groupAlive(last.child.pid ?? 0), 30_000);
    running = undefined;
  }, 300_000);
});
