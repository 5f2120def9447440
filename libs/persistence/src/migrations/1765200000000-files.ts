import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence: files addressed by their SHA-256 (the bytes live in the file store, never here), who
 * uploaded them under which name, what references them (a report's attachments, a project's
 * documents: who may read a file follows from these), which are public (named by a record in the
 * log), and projects' documents, versioned by title.
 */
export class Files1765200000000 implements MigrationInterface {
  name = 'Files1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE files (
        sha256 char(64) PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint NOT NULL CHECK (size >= 0),
        content_type text NOT NULL,
        -- What the bytes are: an upload, or the published copy or thumbnail of an uploaded photo.
        role text NOT NULL CHECK (role IN ('upload', 'published_copy', 'thumbnail')),
        -- What a public record names for it: itself, or for a photo its copy without metadata;
        -- null when it cannot be published, and why.
        published_sha256 char(64),
        publish_problem text,
        thumbnail_sha256 char(64),
        created_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        withdrawn_reason text,
        withdrawn_by uuid REFERENCES users (id)
      )`);
    await q.query(`
      CREATE TABLE file_uploads (
        sha256 char(64) NOT NULL REFERENCES files (sha256),
        user_id uuid NOT NULL REFERENCES users (id),
        name text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sha256, user_id)
      )`);
    await q.query(`
      CREATE TABLE file_references (
        sha256 char(64) NOT NULL REFERENCES files (sha256),
        project_id uuid NOT NULL REFERENCES projects (id),
        subject_type text NOT NULL CHECK (subject_type IN ('report', 'document')),
        subject_id uuid NOT NULL,
        PRIMARY KEY (sha256, subject_type, subject_id)
      )`);
    await q.query(`CREATE INDEX file_references_project_idx ON file_references (project_id, sha256)`);
    await q.query(`
      CREATE TABLE public_files (
        sha256 char(64) PRIMARY KEY REFERENCES files (sha256),
        -- The name and the first record that published it.
        name text NOT NULL,
        first_record_seq bigint NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE project_documents (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id),
        title text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        category text NOT NULL CHECK (category IN ('contract', 'drawing', 'as_built', 'permit', 'site_photo', 'other')),
        sha256 char(64) NOT NULL REFERENCES files (sha256),
        name text NOT NULL,
        public boolean NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        record_seq bigint
      )`);
    // A document's record belongs to no report.
    await q.query(`ALTER TABLE disclosure_records ALTER COLUMN report_id DROP NOT NULL`);
    // One version number per title, whatever its case.
    await q.query(
      `CREATE UNIQUE INDEX project_documents_version_key ON project_documents (project_id, lower(title), version)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project_documents, public_files, file_references, file_uploads, files`);
  }
}
