import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizen feedback: one row per feedback, the read model of its workflow (`state`, without the
 * contact), the contact sealed with AES-256-GCM (deleted after the retention period), and hashes
 * that count a project's submissions and catch duplicates without keeping the client's address.
 * Spent proof-of-work challenges are kept (with who spent them, as a hash) until well after they
 * expire: none is used twice, and a client's hourly limit counts them.
 */
export class Feedback1765500000000 implements MigrationInterface {
  name = 'Feedback1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feedback (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects(id),
        -- SHA-256 of the tracking code: the database alone tells no one's feedback.
        tracking_hash char(64) NOT NULL UNIQUE,
        category text NOT NULL CHECK (category IN ('question', 'complaint', 'safety', 'report_irregularity')),
        message_hash char(64) NOT NULL,
        client_hash char(64) NOT NULL,
        contact_sealed text,
        contact_forgotten_at timestamptz,
        status text NOT NULL,
        assignees uuid[] NOT NULL DEFAULT '{}',
        escalated_roles text[] NOT NULL DEFAULT '{}',
        due_at timestamptz,
        state jsonb NOT NULL,
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX feedback_project_created ON feedback (project_id, created_at)`);
    await q.query(`CREATE INDEX feedback_client_created ON feedback (client_hash, created_at)`);
    await q.query(`CREATE INDEX feedback_assignees ON feedback USING gin (assignees)`);
    await q.query(`
      CREATE TABLE feedback_challenges (
        challenge char(64) PRIMARY KEY,
        expires_at timestamptz NOT NULL,
        -- Who spent it, as a keyed hash, and when: a client's hourly limit counts submissions and
        -- follow-ups alike.
        client_hash char(64) NOT NULL,
        spent_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX feedback_challenges_expires ON feedback_challenges (expires_at)`);
    await q.query(`CREATE INDEX feedback_challenges_client ON feedback_challenges (client_hash, spent_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE feedback_challenges`);
    await q.query(`DROP TABLE feedback`);
  }
}
