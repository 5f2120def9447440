import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What trust under hostile input needs in the database:
 * - sign-in attempts counted per username *and* client, so a stranger cannot lock someone out
 *   from elsewhere, and counted before the password is checked, so concurrent guesses cannot
 *   exceed the limit;
 * - a token version per user: changing a password or deactivating the account ends every token;
 * - why an escalation was opened (a missed deadline, or a step left without anyone to decide);
 * - the problems workers report about report workflows (activities retrying or refused), which
 *   readiness and the stuck list read.
 */
export class HostileInput1764900000000 implements MigrationInterface {
  name = 'HostileInput1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
    await q.query(`
      CREATE TABLE login_attempts (
        username text NOT NULL,
        client text NOT NULL,
        attempts integer NOT NULL,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (username, client)
      )`);
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      ALTER TABLE escalations ADD COLUMN reason text NOT NULL DEFAULT 'overdue'
        CHECK (reason IN ('overdue', 'unassigned'))`);
    await q.query(`
      CREATE TABLE workflow_problems (
        workflow_id text NOT NULL,
        report_id uuid,
        source text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('activity_retrying', 'activity_refused')),
        attempt integer NOT NULL,
        detail text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workflow_id, source)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_problems`);
    await q.query(`ALTER TABLE escalations DROP COLUMN reason`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
    await q.query(`DROP TABLE login_attempts`);
    await q.query(`
      CREATE TABLE login_failures (
        username text PRIMARY KEY,
        failures integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
}
