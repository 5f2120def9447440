import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines and escalations: whether a project counts working time, the escalations read model,
 * in-app notifications, and per-organization webhooks with their deliveries.
 */
export class DeadlinesEscalationsNotifications1764300000000 implements MigrationInterface {
  name = 'DeadlinesEscalationsNotifications1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projects ADD COLUMN deadline_basis text NOT NULL DEFAULT 'calendar'
        CHECK (deadline_basis IN ('calendar', 'working'))`);

    await q.query(`
      CREATE TABLE escalations (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES reports (id),
        project_id uuid NOT NULL REFERENCES projects (id),
        step_key text NOT NULL,
        revision integer NOT NULL,
        level integer NOT NULL,
        to_role text NOT NULL,
        generation integer NOT NULL,
        due_at timestamptz NOT NULL,
        opened_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'resolved')),
        resolution jsonb,
        resolved_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX escalations_handler_idx ON escalations (project_id, to_role, status, opened_at)`,
    );

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('assignment', 'reminder', 'escalation', 'decision')),
        project_id uuid NOT NULL REFERENCES projects (id),
        report_id uuid NOT NULL,
        title text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (key, user_id)
      )`);
    await q.query(`CREATE INDEX notifications_user_idx ON notifications (user_id, created_at, id)`);

    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id),
        url text NOT NULL,
        secret text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks (id),
        notification_key text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (webhook_id, notification_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE escalations`);
    await q.query(`ALTER TABLE projects DROP COLUMN deadline_basis`);
  }
}
