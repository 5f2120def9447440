import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of the staff console, kept server-side so that signing out, deactivating a user or
 * changing their password ends them at once. The cookie carries a random token; only its SHA-256
 * is stored, so a copy of this table signs no one in.
 */
export class ConsoleSessions1765300000000 implements MigrationInterface {
  name = 'ConsoleSessions1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        -- The user's token version at sign-in: a password change or deactivation raises it.
        token_version integer NOT NULL,
        -- The synchronizer token every state-changing form of this session carries.
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX console_sessions_user ON console_sessions (user_id)`);
    await q.query(`CREATE INDEX console_sessions_expires ON console_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
  }
}
