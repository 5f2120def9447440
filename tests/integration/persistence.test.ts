/** Database-level guarantees: the audit log is append-only, bootstrap and seeding are idempotent. */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApprovalLinesRepository, createDataSource, prepareDatabase } from '@openccs/persistence';
import { profile, REPORT_KINDS } from '../support/profile';
import { asAdmin, createOrganization, createProject } from '../support/factories';
import { closeDb, count, db } from '../support/db';

let ds: DataSource;
beforeAll(async () => {
  ds = await createDataSource(process.env.DATABASE_URL ?? '', 'openccs-test').initialize();
});
afterAll(async () => {
  await ds.destroy();
  await closeDb();
});

describe('audit_events', () => {
  it('refuses UPDATE and DELETE at the database level', async () => {
    await asAdmin();
    await createOrganization('supervisor');
    await expect(db().query(`UPDATE audit_events SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(db().query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    expect(await count(`SELECT 1 FROM audit_events WHERE action = 'forged'`)).toBe(0);
  });
});

describe('prepareDatabase', () => {
  it('run again, or by several processes at once, migrates once and creates one admin', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        prepareDatabase(ds, { adminPassword: 'another-password-1', demoData: true, profile }),
      ),
    );
    expect(results.every((r) => r.migrationsApplied.length === 0 && !r.adminCreated)).toBe(true);
    expect(await count(`SELECT 1 FROM users WHERE username = 'admin'`)).toBe(1);
    expect(await count(`SELECT 1 FROM projects WHERE code = 'SEOUL-2026-0001'`)).toBe(0);
  });

  it('on an empty database creates the admin and the demo data set once', async () => {
    const name = `openccs_bootstrap_${randomUUID().slice(0, 8)}`;
    await db().query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL ?? '');
    url.pathname = `/${name}`;
    const fresh = await createDataSource(url.toString(), 'openccs-test-bootstrap').initialize();
    try {
      const [first, second] = await Promise.all([
        prepareDatabase(fresh, { adminPassword: undefined, demoData: true, profile }),
        prepareDatabase(fresh, { adminPassword: undefined, demoData: true, profile }),
      ]);
      const created = [first, second].filter((r) => r?.adminCreated);
      expect(created).toHaveLength(1);
      expect(created[0]?.generatedAdminPassword).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(created[0]?.demoPassword).toMatch(/^[A-Za-z0-9]{24}$/);
      const [{ n }] = await fresh.query(`SELECT count(*)::int AS n FROM users`);
      expect(n).toBe(5);
      const [{ lines }] = await fresh.query(`SELECT count(*)::int AS lines FROM approval_lines`);
      expect(lines).toBe(REPORT_KINDS.length);
    } finally {
      await fresh.destroy();
      await db().query(`DROP DATABASE ${name}`);
    }
  });
});

describe('ApprovalLinesRepository.seedDefaults', () => {
  it('adds nothing the second time, so a retried activity never duplicates a line', async () => {
    const project = await createProject(await createOrganization('agency'));
    const repo = new ApprovalLinesRepository(ds);
    await repo.seedDefaults(project.id, profile.kinds); // may race the setup workflow: either one seeds
    expect(await repo.seedDefaults(project.id, profile.kinds)).toBe(0);
    expect(await count('SELECT 1 FROM approval_lines WHERE project_id = $1', [project.id])).toBe(
      REPORT_KINDS.length,
    );
  });
});
