import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A password an operator set (`npm run admin -- reset-password`, `create-user`, `import`) is good
 * for one thing only: setting a new one. The flag drops when its holder sets their own.
 */
export class OneTimePasswords1765600000000 implements MigrationInterface {
  name = 'OneTimePasswords1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN password_one_time boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN password_one_time`);
  }
}
