import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Project codes are unique whatever their case: `SEOUL-01` and `seoul-01` would be two projects
 * that citizens, URLs and OC4IDS identifiers cannot tell apart. A database that already holds two
 * such codes is not changed: the migration stops and names them, for an operator to rename one.
 */
export class ProjectCodeCase1765000000000 implements MigrationInterface {
  name = 'ProjectCodeCase1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const clashes = (await q.query(
      `SELECT string_agg(code, ', ' ORDER BY code) AS codes FROM projects GROUP BY lower(code) HAVING count(*) > 1`,
    )) as Array<{ codes: string }>;
    if (clashes.length > 0) {
      throw new Error(
        `Project codes must differ by more than case; rename one of each of these first: ${clashes
          .map((c) => c.codes)
          .join('; ')}`,
      );
    }
    await q.query(`CREATE UNIQUE INDEX projects_code_lower_key ON projects (lower(code))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX projects_code_lower_key`);
  }
}
