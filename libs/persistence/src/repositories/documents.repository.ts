/**
 * Projects' documents (One-PMIS's document registry): contracts, drawings, permits, site photos,
 * each a file, versioned by title. A new document of an existing title is its next version; none
 * is ever changed or deleted.
 */
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

export type DocumentCategory = 'contract' | 'drawing' | 'as_built' | 'permit' | 'site_photo' | 'other';

export interface DocumentRow {
  id: string;
  projectId: string;
  title: string;
  version: number;
  category: DocumentCategory;
  sha256: string;
  name: string;
  contentType: string;
  size: number;
  public: boolean;
  createdBy: string;
  createdAt: string;
  /** The record that published it, for a public document. */
  recordSeq: number | null;
}

const SELECT = `
  SELECT d.id, d.project_id AS "projectId", d.title, d.version, d.category, d.sha256, d.name,
         f.content_type AS "contentType", f.size::float8 AS size, d.public, d.created_by AS "createdBy",
         d.created_at AS "createdAt", d.record_seq::float8 AS "recordSeq"
    FROM project_documents d JOIN files f ON f.sha256 = d.sha256`;

@Injectable()
export class DocumentsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Adds a document as the next version of its title (compared without case), in `tx`: versions
   * of one title are numbered one at a time.
   */
  async add(
    tx: EntityManager,
    doc: Omit<DocumentRow, 'version' | 'contentType' | 'size' | 'createdAt' | 'recordSeq'>,
  ): Promise<number> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ':' || lower($2)))`, [
      doc.projectId,
      doc.title,
    ]);
    const rows = (await tx.query(
      `SELECT coalesce(max(version), 0) + 1 AS version FROM project_documents
        WHERE project_id = $1 AND lower(title) = lower($2)`,
      [doc.projectId, doc.title],
    )) as Array<{ version: number }>;
    const version = rows[0]?.version ?? 1;
    await tx.query(
      `INSERT INTO project_documents (id, project_id, title, version, category, sha256, name, public, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        doc.id,
        doc.projectId,
        doc.title,
        version,
        doc.category,
        doc.sha256,
        doc.name,
        doc.public,
        doc.createdBy,
      ],
    );
    return version;
  }

  async setRecord(tx: EntityManager, id: string, seq: number): Promise<void> {
    await tx.query(`UPDATE project_documents SET record_seq = $2 WHERE id = $1`, [id, seq]);
  }

  async find(id: string): Promise<DocumentRow | undefined> {
    const rows: DocumentRow[] = await this.ds.query(`${SELECT} WHERE d.id = $1`, [id]);
    return rows[0];
  }

  /** A project's documents, newest first, by (created at, id) pages. */
  list(projectId: string, page: { limit: number; after?: string }): Promise<DocumentRow[]> {
    const [afterAt, afterId] = page.after?.split('|') ?? [];
    return this.ds.query(
      `${SELECT}
        WHERE d.project_id = $1
          AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $4`,
      [projectId, afterAt ?? null, afterId ?? null, page.limit],
    );
  }
}
