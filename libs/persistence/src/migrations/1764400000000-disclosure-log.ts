import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public disclosure log: one row per record, in log order, with the bytes its leaf hashes
 * and the signed tree head after it. PostgreSQL itself refuses to change or delete a record.
 */
export class DisclosureLog1764400000000 implements MigrationInterface {
  name = 'DisclosureLog1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE disclosure_records (
        seq bigint PRIMARY KEY CHECK (seq >= 0),
        id uuid NOT NULL UNIQUE,
        idempotency_key text NOT NULL UNIQUE,
        project_id uuid NOT NULL REFERENCES projects (id),
        report_id uuid NOT NULL,
        record jsonb NOT NULL,
        canonical text NOT NULL,
        leaf_hash char(64) NOT NULL,
        tree_head jsonb NOT NULL,
        published_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX disclosure_records_project_idx ON disclosure_records (project_id, seq)`);
    await q.query(`
      CREATE TRIGGER disclosure_records_append_only BEFORE UPDATE OR DELETE ON disclosure_records
      FOR EACH ROW EXECUTE FUNCTION openccs_refuse_change()`);
    await q.query(`
      CREATE TRIGGER disclosure_records_no_truncate BEFORE TRUNCATE ON disclosure_records
      FOR EACH STATEMENT EXECUTE FUNCTION openccs_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE disclosure_records`);
  }
}
