/**
 * The database role the API and the worker run as in production: it reads and writes rows and
 * nothing more. Ownership stays with the role that runs the migrations, because PostgreSQL lets
 * only a table's owner (or a superuser) `ALTER TABLE … DISABLE TRIGGER` or `DROP TRIGGER`: a
 * runtime role that owned the tables could switch off the append-only triggers that protect the
 * audit events and the public log. On those tables the runtime role gets no UPDATE or DELETE
 * either, so a change is refused twice over (privilege, then trigger).
 *
 * Run by the migrate CLI after the migrations, as the owner, at every deployment: every statement
 * is idempotent, so re-running only repairs what a manual change took away.
 */
import type { DataSource } from 'typeorm';

/** Tables whose rows, once written, never change: INSERT and SELECT only. */
export const APPEND_ONLY_TABLES = ['audit_events', 'disclosure_records', 'disclosure_nodes'] as const;

const DML = 'SELECT, INSERT, UPDATE, DELETE';
/** dataSourceOptions' migrationsTableName. */
const MIGRATIONS_TABLE = 'schema_migrations';

export interface RuntimeRoleGrant {
  role: string;
  tables: number;
  appendOnly: readonly string[];
}

/**
 * Grants `role` DML on every table and sequence of the `public` schema (current and future ones
 * the current user creates), minus UPDATE/DELETE on the append-only tables. The role must exist:
 * creating roles and their passwords is the database administrator's job (see docs/deployment.md).
 */
export async function grantRuntimeRole(ds: DataSource, role: string): Promise<RuntimeRoleGrant> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`not a plain role name: ${role}`);
  return ds.transaction(async (tx) => {
    // Two migrate jobs granting at once would collide on the catalog rows ("tuple concurrently updated").
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('openccs:grant-runtime-role'))`);
    const rows = await tx.query<
      Array<{ exists: boolean; owner: boolean; superuser: boolean; current: string }>
    >(
      `SELECT r.oid IS NOT NULL AS exists,
              coalesce(pg_has_role(r.oid, current_user, 'MEMBER'), false) AS owner,
              coalesce(r.rolsuper, false) AS superuser,
              current_user AS current
         FROM (SELECT 1) one LEFT JOIN pg_roles r ON r.rolname = $1`,
      [role],
    );
    const info = rows[0];
    if (!info?.exists) throw new Error(`DATABASE_APP_ROLE ${role} does not exist: create it first`);
    // The runtime role must not be (or act as) the owner, nor bypass privileges altogether.
    if (info.owner) {
      throw new Error(
        `DATABASE_APP_ROLE ${role} is the migrating role ${info.current} or a member of it: it would own the tables`,
      );
    }
    if (info.superuser)
      throw new Error(`DATABASE_APP_ROLE ${role} is a superuser: it would bypass every privilege`);

    await tx.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await tx.query(`GRANT ${DML} ON ALL TABLES IN SCHEMA public TO ${role}`);
    await tx.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    // Tables and sequences a later migration creates (as this same owner) are granted at once,
    // so the API never meets a table it cannot read between a migration and this step.
    await tx.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${DML} ON TABLES TO ${role}`);
    await tx.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
    );
    // Nothing beyond rows: no TRUNCATE, REFERENCES or TRIGGER, and no rows changed in the logs.
    await tx.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role}`);
    await tx.query(`REVOKE UPDATE, DELETE ON ${APPEND_ONLY_TABLES.join(', ')} FROM ${role}`);
    // Which migrations ran is the migration's own record: readable, never written at run time.
    await tx.query(`REVOKE INSERT, UPDATE, DELETE ON ${MIGRATIONS_TABLE} FROM ${role}`);
    const [tables] = await tx.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    return { role, tables: tables?.n ?? 0, appendOnly: APPEND_ONLY_TABLES };
  });
}
