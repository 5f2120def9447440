import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins per username (lower-cased, known or not, so a lock-out never tells which
 * accounts exist), and until when a username is locked out.
 */
export class LoginLockout1764500000000 implements MigrationInterface {
  name = 'LoginLockout1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_failures (
        username text PRIMARY KEY,
        failures integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
  }
}
