/**
 * The production database roles (docs/deployment.md): the migrate CLI runs as the role that owns
 * the tables and grants DATABASE_APP_ROLE rows only; the API and the worker, connected as that
 * role, run the whole approval path, yet cannot switch off, drop or get around the append-only
 * triggers of the audit events and the public log.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { createLogger, loadConfig } from '@openccs/config';
import { createApiApp } from '../../apps/api/src/app';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker';
import { TEST_ADMIN_PASSWORD } from '../setup/test-stack';
import { closeDb, db } from '../support/db';
import { http } from '../support/http';
import { castProject } from '../support/scenario';

const run = promisify(execFile);
const MIGRATE = join(__dirname, '../../dist/libs/persistence/src/migrate.cli.js');

const suffix = randomBytes(4).toString('hex');
const OWNER = `openccs_owner_${suffix}`;
const APP = `openccs_app_${suffix}`;
const DATABASE = `openccs_roles_${suffix}`;
const PASSWORD = randomBytes(16).toString('hex');

const urlFor = (role: string): string => {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.username = role;
  url.password = PASSWORD;
  url.pathname = `/${DATABASE}`;
  return url.toString();
};

const migrate = (appRole: string) =>
  run(process.execPath, [MIGRATE], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: urlFor(OWNER),
      DATABASE_APP_ROLE: appRole,
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      OPENCCS_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    },
  });

const savedApiUrl = process.env.OPENCCS_TEST_API_URL;
let asApp: Pool;
let asOwner: Pool;
let api: INestApplication;
let worker: RunningWorker;

beforeAll(async () => {
  await db().query(`CREATE ROLE ${OWNER} LOGIN PASSWORD '${PASSWORD}'`);
  await db().query(`CREATE ROLE ${APP} LOGIN PASSWORD '${PASSWORD}'`);
  await db().query(`CREATE DATABASE ${DATABASE} OWNER ${OWNER}`);
  // Before PostgreSQL 15 every role may create in `public`; production servers are 15 or later.
  await migrate(APP);
  asApp = new Pool({ connectionString: urlFor(APP), max: 2 });
  asOwner = new Pool({ connectionString: urlFor(OWNER), max: 1 });
  // An idle connection the server ends (a restart, an administrator) is replaced on next use.
  for (const pool of [asApp, asOwner]) pool.on('error', () => undefined);

  // The real API and worker of this run, on a database of their own and a task queue of their own.
  const env = {
    ...process.env,
    DATABASE_URL: urlFor(APP),
    TEMPORAL_TASK_QUEUE: `openccs-roles-${suffix}`,
  };
  const apiConfig = loadConfig('api', env);
  worker = await startWorker(loadConfig('worker', env), createLogger(apiConfig, 'roles-worker'));
  api = await createApiApp(apiConfig);
  await api.listen(0, '127.0.0.1');
  const { port } = api.getHttpServer().address() as { port: number };
  // The factories speak to this API (this file runs in a jest worker of its own).
  process.env.OPENCCS_TEST_API_URL = `http://127.0.0.1:${port}`;
  process.env.OPENCCS_TEST_ADMIN_PASSWORD = TEST_ADMIN_PASSWORD;
}, 120_000);

afterAll(async () => {
  process.env.OPENCCS_TEST_API_URL = savedApiUrl;
  await api?.close();
  await worker?.shutdown();
  await asApp?.end();
  await asOwner?.end();
  await db().query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await db().query(`DROP ROLE IF EXISTS ${APP}`);
  await db().query(`DROP ROLE IF EXISTS ${OWNER}`);
  await closeDb();
});

const count = async (table: string): Promise<number> =>
  Number((await asApp.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

describe('the runtime role', () => {
  it('owns nothing, is no superuser, and is granted rows on every table', async () => {
    const { rows } = await asOwner.query<{ tableowner: string }>(
      `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(rows.map((r) => r.tableowner)).toEqual([OWNER]);
    const { rows: missing } = await asApp.query<{ table_name: string }>(
      `SELECT tablename AS table_name FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> 'schema_migrations' AND NOT has_table_privilege(quote_ident(schemaname) || '.' || quote_ident(tablename), 'SELECT, INSERT')`,
    );
    expect(missing).toEqual([]);
    await expect(asApp.query(`DELETE FROM schema_migrations`)).rejects.toThrow(/permission denied/);
    const { rows: me } = await asApp.query<{ rolsuper: boolean; rolcreaterole: boolean }>(
      `SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user`,
    );
    expect(me).toEqual([{ rolsuper: false, rolcreaterole: false }]);
  });

  it('runs the approval path through the API and the worker: reports, decisions, the public log', async () => {
    const cast = await castProject();
    const submitted = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      token: cast.contractor.token,
      body: {
        kind: 'design_change',
        title: 'Abutment wing walls lengthened',
        publicSummary: 'Wing walls are 2 m longer after the slope survey.',
        body: { changeType: 'structural' },
        amount: { value: 48_000_000, currency: 'KRW' },
      },
    });
    expect(submitted.status).toBe(201);
    const decide = (token: string) =>
      http<{ status: string }>('POST', `/api/v1/reports/${submitted.body.id}/decisions`, {
        token,
        body: { action: 'approve' },
      });
    for (const token of [cast.supervisor.token, cast.officer.token])
      expect((await decide(token)).status).toBe(200);
    const done = await decide(cast.head.token);
    expect(done.body.status).toBe('approved');
    expect(await count('disclosure_records')).toBeGreaterThan(0);
    expect(await count('disclosure_nodes')).toBeGreaterThan(0);
    expect(await count('audit_events')).toBeGreaterThan(0);
  }, 120_000);

  it.each([
    ['audit_events', 'audit_events_append_only'],
    ['disclosure_records', 'disclosure_records_append_only'],
    ['disclosure_records', 'disclosure_records_no_truncate'],
    ['disclosure_nodes', 'disclosure_nodes_append_only'],
  ])('cannot disable or drop the trigger on %s (%s)', async (table, trigger) => {
    await expect(asApp.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(asApp.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
    await expect(asApp.query(`DROP TRIGGER ${trigger} ON ${table}`)).rejects.toThrow(/must be owner/);
    await expect(asApp.query(`ALTER TABLE ${table} OWNER TO ${APP}`)).rejects.toThrow(/must be owner/);
    const { rows } = await asOwner.query<{ tgenabled: string }>(
      `SELECT tgenabled FROM pg_trigger WHERE tgname = $1`,
      [trigger],
    );
    expect(rows).toEqual([{ tgenabled: 'O' }]);
  });

  it.each(['audit_events', 'disclosure_records', 'disclosure_nodes'])(
    'cannot update, delete or truncate %s, nor get around its trigger',
    async (table) => {
      const before = await count(table);
      expect(before).toBeGreaterThan(0);
      const column = { audit_events: 'action', disclosure_records: 'seq', disclosure_nodes: 'level' }[table];
      await expect(asApp.query(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(asApp.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
      await expect(asApp.query(`TRUNCATE ${table}`)).rejects.toThrow(/permission denied/);
      await expect(asApp.query(`DROP TABLE ${table}`)).rejects.toThrow(/must be owner/);
      // Replica mode skips ordinary triggers: only a superuser may set it.
      await expect(asApp.query(`SET session_replication_role = replica`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(asApp.query(`DROP FUNCTION openccs_refuse_change()`)).rejects.toThrow(/must be owner/);
      await expect(
        asApp.query(
          `CREATE OR REPLACE FUNCTION openccs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
        ),
      ).rejects.toThrow(/must be owner|permission denied/);
      expect(await count(table)).toBe(before);
    },
  );

  it('cannot create tables of its own', async () => {
    await expect(asApp.query(`CREATE TABLE shadow (id int)`)).rejects.toThrow(/permission denied/);
  });
});

describe('the migrate CLI with DATABASE_APP_ROLE', () => {
  it('runs again without change, and a later migration’s table is granted at once', async () => {
    await expect(migrate(APP)).resolves.toBeDefined();
    await asOwner.query(`CREATE TABLE later_table (id bigserial PRIMARY KEY, note text)`);
    try {
      await asApp.query(`INSERT INTO later_table (note) VALUES ('granted by default privileges')`);
      await asApp.query(`UPDATE later_table SET note = 'changed'`);
      expect(await count('later_table')).toBe(1);
    } finally {
      await asOwner.query(`DROP TABLE later_table`);
    }
  });

  it('refuses the owner itself as the runtime role', async () => {
    await expect(migrate(OWNER)).rejects.toMatchObject({
      stderr: expect.stringMatching(/would own the tables/),
    });
  });
});
