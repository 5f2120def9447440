import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendWithNodes } from '@openccs/disclosure';

/**
 * The log's perfect subtrees (level ≥ 1; level 0 are the records' leaf hashes), written as each
 * record completes them, so an inclusion or consistency proof reads O(log² n) nodes instead of
 * every leaf. Append-only like the records. Existing logs are backfilled here from their leaves.
 */
export class LogNodes1764800000000 implements MigrationInterface {
  name = 'LogNodes1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE disclosure_nodes (
        level smallint NOT NULL CHECK (level >= 1),
        index bigint NOT NULL CHECK (index >= 0),
        hash char(64) NOT NULL,
        PRIMARY KEY (level, index)
      )`);
    await q.query(`
      CREATE TRIGGER disclosure_nodes_append_only BEFORE UPDATE OR DELETE ON disclosure_nodes
      FOR EACH ROW EXECUTE FUNCTION openccs_refuse_change()`);
    const leaves: Array<{ leaf_hash: string }> = await q.query(
      'SELECT leaf_hash FROM disclosure_records ORDER BY seq',
    );
    let frontier: string[] = [];
    let batch: Array<{ level: number; index: number; hash: string }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await q.query(
        `INSERT INTO disclosure_nodes (level, index, hash)
         SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::char(64)[])`,
        [batch.map((n) => n.level), batch.map((n) => n.index), batch.map((n) => n.hash)],
      );
      batch = [];
    };
    for (const [i, { leaf_hash }] of leaves.entries()) {
      const next = appendWithNodes(frontier, i, leaf_hash);
      frontier = next.frontier;
      batch.push(...next.nodes);
      if (batch.length >= 10_000) await flush();
    }
    await flush();
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE disclosure_nodes`);
  }
}
