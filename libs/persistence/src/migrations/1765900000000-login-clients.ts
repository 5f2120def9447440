import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-ins per client that did not succeed, in one-minute windows (LOGIN_RATE_LIMIT): in
 * PostgreSQL, so that every API process behind a proxy counts against the same budget.
 */
export class LoginClients1765900000000 implements MigrationInterface {
  name = 'LoginClients1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_clients (
        client text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        attempts integer NOT NULL,
        refused boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX login_clients_window_start ON login_clients (window_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_clients`);
  }
}
