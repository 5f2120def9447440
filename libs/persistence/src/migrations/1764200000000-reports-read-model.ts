import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read model of report workflows (the workflow is the source of truth; these rows are its
 * projection, newest version wins) and the store behind the Idempotency-Key header.
 */
export class ReportsReadModel1764200000000 implements MigrationInterface {
  name = 'ReportsReadModel1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id),
        kind text NOT NULL,
        title text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_review', 'returned', 'approved', 'rejected', 'withdrawn')),
        revision integer NOT NULL CHECK (revision >= 1),
        current_step_key text,
        submitter_id uuid NOT NULL REFERENCES users (id),
        line_version integer NOT NULL,
        amount numeric(20, 3),
        amount_currency char(3),
        state jsonb NOT NULL,
        version integer NOT NULL,
        submitted_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX reports_project_idx ON reports (project_id, submitted_at)`);

    await q.query(`
      CREATE TABLE report_steps (
        report_id uuid NOT NULL REFERENCES reports (id),
        position integer NOT NULL,
        key text NOT NULL,
        name text NOT NULL,
        assignee_role text NOT NULL,
        mode text NOT NULL,
        status text NOT NULL CHECK (status IN ('waiting', 'active', 'approved', 'rejected', 'returned', 'skipped')),
        opened_at timestamptz,
        due_at timestamptz,
        closed_at timestamptz,
        PRIMARY KEY (report_id, position)
      )`);
    await q.query(`
      CREATE TABLE report_step_assignees (
        report_id uuid NOT NULL,
        position integer NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        PRIMARY KEY (report_id, position, user_id),
        FOREIGN KEY (report_id, position) REFERENCES report_steps (report_id, position) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX report_step_assignees_user_idx ON report_step_assignees (user_id)`);

    await q.query(`
      CREATE TABLE report_decisions (
        report_id uuid NOT NULL REFERENCES reports (id),
        seq integer NOT NULL,
        revision integer NOT NULL,
        step_key text NOT NULL,
        actor_id uuid NOT NULL REFERENCES users (id),
        action text NOT NULL CHECK (action IN ('approve', 'reject', 'return')),
        comment text,
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (report_id, seq)
      )`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id),
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE report_decisions`);
    await q.query(`DROP TABLE report_step_assignees`);
    await q.query(`DROP TABLE report_steps`);
    await q.query(`DROP TABLE reports`);
  }
}
