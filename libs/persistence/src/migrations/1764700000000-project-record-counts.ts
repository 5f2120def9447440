import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each project's number of disclosure records, kept by PostgreSQL as records are inserted, so the
 * public project list does not count a project's records on every request (it did: linear in the
 * log's size, see docs/performance.md). Records are never deleted, so the count only grows.
 */
export class ProjectRecordCounts1764700000000 implements MigrationInterface {
  name = 'ProjectRecordCounts1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_record_counts (
        project_id uuid PRIMARY KEY REFERENCES projects (id),
        record_count bigint NOT NULL
      )`);
    await q.query(`
      INSERT INTO project_record_counts (project_id, record_count)
      SELECT project_id, count(*) FROM disclosure_records GROUP BY project_id`);
    await q.query(`
      CREATE FUNCTION openccs_count_records() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO project_record_counts (project_id, record_count)
        SELECT project_id, count(*) FROM inserted GROUP BY project_id
        ON CONFLICT (project_id)
          DO UPDATE SET record_count = project_record_counts.record_count + EXCLUDED.record_count;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER disclosure_records_count AFTER INSERT ON disclosure_records
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION openccs_count_records()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER disclosure_records_count ON disclosure_records`);
    await q.query(`DROP FUNCTION openccs_count_records()`);
    await q.query(`DROP TABLE project_record_counts`);
  }
}
