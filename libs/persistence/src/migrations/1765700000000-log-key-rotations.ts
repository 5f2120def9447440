import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key rotation records: the log announces a new signing key in itself (docs/disclosure.md). Such a
 * record belongs to no project, so `project_id` may be null (and counts no project's record), and
 * the few of them are found by a partial index rather than a scan of the whole log.
 */
export class LogKeyRotations1765700000000 implements MigrationInterface {
  name = 'LogKeyRotations1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE disclosure_records ALTER COLUMN project_id DROP NOT NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION openccs_count_records() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO project_record_counts (project_id, record_count)
        SELECT project_id, count(*) FROM inserted WHERE project_id IS NOT NULL GROUP BY project_id
        ON CONFLICT (project_id)
          DO UPDATE SET record_count = project_record_counts.record_count + EXCLUDED.record_count;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE INDEX disclosure_records_key_rotations_idx ON disclosure_records (seq)
       WHERE record->>'type' = 'key_rotation'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX disclosure_records_key_rotations_idx`);
    await q.query(`
      CREATE OR REPLACE FUNCTION openccs_count_records() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO project_record_counts (project_id, record_count)
        SELECT project_id, count(*) FROM inserted GROUP BY project_id
        ON CONFLICT (project_id)
          DO UPDATE SET record_count = project_record_counts.record_count + EXCLUDED.record_count;
        RETURN NULL;
      END $$`);
    await q.query(`ALTER TABLE disclosure_records ALTER COLUMN project_id SET NOT NULL`);
  }
}
