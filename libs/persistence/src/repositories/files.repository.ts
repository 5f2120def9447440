/**
 * What the database knows of files (their bytes are in the file store): each file by its SHA-256,
 * who uploaded it under which name, what references it, whether a record published it, and
 * whether its bytes were withdrawn. Who may read a file follows from these rows alone.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository, type AuditEntry } from './audit.repository';

export interface FileRow {
  sha256: string;
  size: number;
  contentType: string;
  role: 'upload' | 'published_copy' | 'thumbnail';
  /** What a record names for it (itself, or a photo's copy); null when it cannot be published. */
  publishedSha256: string | null;
  publishProblem: string | null;
  thumbnailSha256: string | null;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
  /** Whether the copy a record would name was withdrawn (the same pixels as a withdrawn photo). */
  publishedWithdrawn: boolean;
}

export interface NewFile {
  sha256: string;
  size: number;
  contentType: string;
  role: FileRow['role'];
  publishedSha256: string | null;
  publishProblem: string | null;
  thumbnailSha256: string | null;
}

/** A file as someone may attach it: whether they uploaded it themselves, too. */
export interface UsableFile extends ReadableFile {
  ownUpload: boolean;
}

/** A file as a reader may see it: its row and the name to show. */
export interface ReadableFile extends FileRow {
  name: string;
}

/** References a report's or document's files, so that who may read them follows the project. */
export async function referenceFiles(
  tx: EntityManager,
  subject: { type: 'report' | 'document'; id: string; projectId: string },
  sha256s: readonly string[],
): Promise<void> {
  if (sha256s.length === 0) return;
  await tx.query(
    `INSERT INTO file_references (sha256, project_id, subject_type, subject_id)
     SELECT unnest($1::char(64)[]), $2, $3, $4 ON CONFLICT DO NOTHING`,
    [[...new Set(sha256s)], subject.projectId, subject.type, subject.id],
  );
}

const COLUMNS = `f.sha256, f.size::float8 AS size, f.content_type AS "contentType", f.role,
  f.published_sha256 AS "publishedSha256", f.publish_problem AS "publishProblem",
  f.thumbnail_sha256 AS "thumbnailSha256", f.withdrawn_at AS "withdrawnAt", f.withdrawn_reason AS "withdrawnReason",
  coalesce((SELECT c.withdrawn_at IS NOT NULL FROM files c WHERE c.sha256 = f.published_sha256), false)
    AS "publishedWithdrawn"`;

@Injectable()
export class FilesRepository {
  private readonly audit = new AuditRepository();

  constructor(private readonly ds: DataSource) {}

  /**
   * Records an upload: the files (the upload and its derivatives, each once whoever uploads the
   * same bytes again) and who uploaded it under which name (the latest name wins).
   */
  async recordUpload(
    files: readonly NewFile[],
    upload: { sha256: string; userId: string; name: string },
    event: AuditEntry,
  ): Promise<void> {
    await this.ds.transaction(async (tx) => {
      for (const f of files)
        await tx.query(
          `INSERT INTO files (sha256, size, content_type, role, published_sha256, publish_problem, thumbnail_sha256)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sha256) DO NOTHING`,
          [f.sha256, f.size, f.contentType, f.role, f.publishedSha256, f.publishProblem, f.thumbnailSha256],
        );
      await tx.query(
        `INSERT INTO file_uploads (sha256, user_id, name) VALUES ($1, $2, $3)
         ON CONFLICT (sha256, user_id) DO UPDATE SET name = EXCLUDED.name, uploaded_at = now()`,
        [upload.sha256, upload.userId, upload.name],
      );
      await this.audit.record(tx, event);
    });
  }

  async find(sha256: string): Promise<FileRow | undefined> {
    const rows: FileRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM files f WHERE f.sha256 = $1`, [
      sha256,
    ]);
    return rows[0];
  }

  /**
   * The file as `userId` may use it in `projectId`: one they uploaded themselves, or one a report
   * or document of that project already references (a file carried over into a new revision).
   * Someone else's upload that nothing references is not theirs to attach. Its name is the one
   * they gave it, else the one someone of this project gave it: never a stranger's.
   */
  async usableIn(sha256: string, userId: string, projectId: string): Promise<UsableFile | undefined> {
    const rows: UsableFile[] = await this.ds.query(
      `SELECT ${COLUMNS},
              EXISTS (SELECT 1 FROM file_uploads u WHERE u.sha256 = f.sha256 AND u.user_id = $2) AS "ownUpload",
              coalesce(
                (SELECT name FROM file_uploads WHERE sha256 = f.sha256 AND user_id = $2),
                (SELECT u.name FROM file_uploads u
                   JOIN project_members m ON m.user_id = u.user_id AND m.project_id = $3
                  WHERE u.sha256 = f.sha256 ORDER BY u.uploaded_at LIMIT 1),
                'file') AS name
         FROM files f
        WHERE f.sha256 = $1 AND f.role = 'upload'
          AND (EXISTS (SELECT 1 FROM file_uploads u WHERE u.sha256 = f.sha256 AND u.user_id = $2)
               OR EXISTS (SELECT 1 FROM file_references r WHERE r.sha256 = f.sha256 AND r.project_id = $3))`,
      [sha256, userId, projectId],
    );
    return rows[0];
  }

  /**
   * The file (or a derivative of it: its copy or thumbnail) if `userId` may read it: they uploaded
   * it, or it belongs to a report or document of a project they may read (`allProjects` for
   * administrators and auditors, who may read every project).
   */
  async readableBy(sha256: string, userId: string, allProjects: boolean): Promise<ReadableFile | undefined> {
    const rows: ReadableFile[] = await this.ds.query(
      `WITH origin AS (
         SELECT o.sha256 FROM files o
          WHERE o.sha256 = $1 OR o.published_sha256 = $1 OR o.thumbnail_sha256 = $1)
       SELECT ${COLUMNS},
              -- The reader's own name for it, else one given by someone sharing a project with the
              -- reader that references it: never a stranger's.
              coalesce((SELECT u.name FROM file_uploads u JOIN origin ON origin.sha256 = u.sha256
                         WHERE u.user_id = $2
                            OR EXISTS (SELECT 1 FROM file_references r
                                         JOIN project_members mu ON mu.project_id = r.project_id AND mu.user_id = u.user_id
                                        WHERE r.sha256 = origin.sha256
                                          AND ($3 OR EXISTS (SELECT 1 FROM project_members mr
                                                              WHERE mr.project_id = r.project_id AND mr.user_id = $2)))
                         ORDER BY u.user_id = $2 DESC, u.uploaded_at LIMIT 1), 'file') AS name
         FROM files f
        WHERE f.sha256 = $1
          AND (EXISTS (SELECT 1 FROM file_uploads u JOIN origin ON origin.sha256 = u.sha256 WHERE u.user_id = $2)
               OR EXISTS (SELECT 1 FROM file_references r JOIN origin ON origin.sha256 = r.sha256
                           WHERE $3 OR EXISTS (SELECT 1 FROM project_members m
                                                WHERE m.project_id = r.project_id AND m.user_id = $2)))`,
      [sha256, userId, allProjects],
    );
    return rows[0];
  }

  /** Which of these published hashes had their bytes withdrawn. */
  async withdrawnAmong(shas: readonly string[]): Promise<Set<string>> {
    if (shas.length === 0) return new Set();
    const rows: Array<{ sha256: string }> = await this.ds.query(
      `SELECT sha256 FROM files WHERE sha256 = ANY($1::text[]) AND withdrawn_at IS NOT NULL`,
      [[...new Set(shas)]],
    );
    return new Set(rows.map((r) => r.sha256));
  }

  /** The file if a record of the public log names it, with the name it was published under. */
  async published(sha256: string): Promise<ReadableFile | undefined> {
    const rows: ReadableFile[] = await this.ds.query(
      `SELECT ${COLUMNS}, p.name FROM public_files p JOIN files f ON f.sha256 = p.sha256 WHERE p.sha256 = $1`,
      [sha256],
    );
    return rows[0];
  }

  /** The thumbnail of a published file, when it is a photo that has one. */
  async publishedThumbnail(sha256: string): Promise<FileRow | undefined> {
    const rows: FileRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM public_files p JOIN files o ON o.sha256 = p.sha256
         JOIN files f ON f.sha256 = o.thumbnail_sha256 WHERE p.sha256 = $1`,
      [sha256],
    );
    return rows[0];
  }

  /**
   * Marks a file's bytes withdrawn (for a legal reason): the row and every record naming its hash
   * stay; the bytes of the file and of what was derived from it are for the caller to delete.
   * Returns the hashes whose bytes go, or undefined when there is no such file.
   */
  async withdraw(
    tx: EntityManager,
    sha256: string,
    reason: string,
    userId: string,
  ): Promise<string[] | undefined> {
    // An UPDATE answers [rows, count].
    const [rows]: [Array<{ sha256: string }>, number] = await tx.query(
      `UPDATE files SET withdrawn_at = coalesce(withdrawn_at, now()), withdrawn_reason = $2, withdrawn_by = $3
        WHERE sha256 = $1
           OR sha256 IN (SELECT unnest(ARRAY[published_sha256, thumbnail_sha256]) FROM files WHERE sha256 = $1)
           OR sha256 IN (SELECT o.sha256 FROM files o WHERE o.published_sha256 = $1 AND o.role = 'upload')
       RETURNING sha256`,
      [sha256, reason, userId],
    );
    return rows.length === 0 ? undefined : rows.map((r) => r.sha256);
  }
}
