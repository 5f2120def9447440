import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizations, users, projects, memberships, approval-line templates and the audit log.
 * Checks mirror the domain vocabulary so that a bug in the API cannot store a role that does
 * not exist; the audit log is append-only at the database level.
 */
export class IdentityAndProjects1764100000000 implements MigrationInterface {
  name = 'IdentityAndProjects1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        kind text NOT NULL CHECK (kind IN ('agency', 'contractor', 'supervisor', 'subcontractor')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name))`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations (id),
        system_role text NOT NULL DEFAULT 'staff' CHECK (system_role IN ('admin', 'staff', 'auditor')),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);
    await q.query(`CREATE INDEX users_organization_idx ON users (organization_id)`);

    await q.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        title text NOT NULL,
        description text,
        agency_organization_id uuid NOT NULL REFERENCES organizations (id),
        location text,
        contract_amount numeric(20, 3) CHECK (contract_amount >= 0),
        contract_currency char(3),
        start_date date,
        end_date date,
        status text NOT NULL DEFAULT 'planned'
          CHECK (status IN ('planned', 'in_progress', 'suspended', 'completed', 'cancelled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((contract_amount IS NULL) = (contract_currency IS NULL)),
        CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
      )`);
    await q.query(`CREATE UNIQUE INDEX projects_code_key ON projects (code)`);

    await q.query(`
      CREATE TABLE project_members (
        project_id uuid NOT NULL REFERENCES projects (id),
        user_id uuid NOT NULL REFERENCES users (id),
        role text NOT NULL
          CHECK (role IN ('contractor', 'supervisor', 'agency_officer', 'agency_head', 'observer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, user_id)
      )`);
    await q.query(`CREATE INDEX project_members_user_idx ON project_members (user_id)`);

    await q.query(`
      CREATE TABLE approval_lines (
        project_id uuid NOT NULL REFERENCES projects (id),
        report_kind text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        steps jsonb NOT NULL,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, report_kind, version)
      )`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid REFERENCES users (id),
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id)`);
    await q.query(`
      CREATE FUNCTION openccs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION openccs_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION openccs_refuse_change()`);
    await q.query(`DROP TABLE approval_lines`);
    await q.query(`DROP TABLE project_members`);
    await q.query(`DROP TABLE projects`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organizations`);
  }
}
