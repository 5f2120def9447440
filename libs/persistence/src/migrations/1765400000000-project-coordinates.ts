import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a project is, as a map needs it: WGS 84 coordinates beside its address (`location`).
 * Both or neither, and on the globe.
 */
export class ProjectCoordinates1765400000000 implements MigrationInterface {
  name = 'ProjectCoordinates1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE projects
        ADD COLUMN latitude double precision,
        ADD COLUMN longitude double precision,
        ADD CONSTRAINT projects_coordinates CHECK (
          (latitude IS NULL) = (longitude IS NULL)
          AND (latitude IS NULL OR latitude BETWEEN -90 AND 90)
          AND (longitude IS NULL OR longitude BETWEEN -180 AND 180))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE projects DROP CONSTRAINT projects_coordinates, DROP COLUMN latitude, DROP COLUMN longitude`,
    );
  }
}
