import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log's compact range (the roots of its perfect subtrees) after each record, so an append
 * reads one row instead of every leaf. Records written before this migration keep NULL: the
 * first append after it derives the range from the leaves once (rows are never updated).
 */
export class LogFrontier1764600000000 implements MigrationInterface {
  name = 'LogFrontier1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE disclosure_records ADD COLUMN frontier char(64)[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE disclosure_records DROP COLUMN frontier`);
  }
}
