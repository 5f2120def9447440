import type { MigrationInterface, QueryRunner } from 'typeorm';
import { legacyKind } from '@openccs/domain';

/**
 * Reports keep a snapshot of their kind (profiles, docs/profiles.md). A report stored before
 * then gets the snapshot of its kind as the code defined it at the time (`LEGACY_KINDS`): the
 * read model then holds what every reader (SQL included) needs, instead of each one upgrading it.
 * Reading an old state still upgrades it as well (`upgradeState`), so a row this migration has
 * not touched (written by an old worker during a rolling upgrade) reads the same.
 */
export class KindSnapshots1765100000000 implements MigrationInterface {
  name = 'KindSnapshots1765100000000';

  async up(q: QueryRunner): Promise<void> {
    const kinds = (await q.query(
      `SELECT DISTINCT kind FROM reports WHERE NOT (state ? 'kindSnapshot')`,
    )) as Array<{ kind: string }>;
    for (const { kind } of kinds) {
      await q.query(
        `UPDATE reports SET state = jsonb_set(state, '{kindSnapshot}', $2::jsonb)
          WHERE kind = $1 AND NOT (state ? 'kindSnapshot')`,
        [kind, JSON.stringify(legacyKind(kind))],
      );
    }
  }

  async down(): Promise<void> {
    // The snapshot is what the report was judged by; removing it would lose nothing the code
    // cannot rebuild, but there is no reason to: older code ignores the field.
  }
}
