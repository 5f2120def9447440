/**
 * What the public may read about projects: the project sheet, its parties (organizations, never
 * people) and figures derived from the disclosure log alone, so the portal shows nothing the log
 * does not.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PublicProjectRow {
  code: string;
  title: string;
  description: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  status: string;
  startDate: string | null;
  endDate: string | null;
  contractAmount: string | null;
  contractCurrency: string | null;
  agency: string;
  recordCount: number;
}

export interface PublicProjectFilter {
  q?: string;
  status?: string;
  agency?: string;
  kind?: string;
  location?: string;
}

const SELECT = `
  SELECT p.code, p.title, p.description, p.location, p.latitude, p.longitude, p.status, p.start_date::text AS "startDate",
         p.end_date::text AS "endDate", p.contract_amount::text AS "contractAmount",
         p.contract_currency AS "contractCurrency", o.name AS agency,
         coalesce(c.record_count, 0)::int AS "recordCount"
    FROM projects p JOIN organizations o ON o.id = p.agency_organization_id
    LEFT JOIN project_record_counts c ON c.project_id = p.id`;

@Injectable()
export class PublicProjectsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every project's code, for the full OC4IDS export. */
  async allCodes(): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.ds.query('SELECT code FROM projects ORDER BY code');
    return rows.map((r) => r.code);
  }

  search(filter: PublicProjectFilter, page: { limit: number; after?: string }): Promise<PublicProjectRow[]> {
    const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    return this.ds.query(
      `${SELECT}
        WHERE ($1::text IS NULL OR p.code ILIKE $1 OR p.title ILIKE $1 OR o.name ILIKE $1 OR p.location ILIKE $1)
          AND ($2::text IS NULL OR p.status = $2)
          AND ($3::text IS NULL OR o.name ILIKE $3)
          AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM disclosure_records d WHERE d.project_id = p.id AND d.record->'report'->>'kind' = $4))
          AND ($5::text IS NULL OR p.code > $5)
          AND ($7::text IS NULL OR p.location ILIKE $7)
        ORDER BY p.code
        LIMIT $6`,
      [
        like,
        filter.status ?? null,
        filter.agency ? `%${filter.agency}%` : null,
        filter.kind ?? null,
        page.after ?? null,
        page.limit,
        filter.location ? `%${filter.location}%` : null,
      ],
    );
  }

  async byCode(code: string): Promise<(PublicProjectRow & { id: string; agencyId: string }) | undefined> {
    const rows: Array<PublicProjectRow & { id: string; agencyId: string }> = await this.ds.query(
      `${SELECT.replace('SELECT p.code', 'SELECT p.id, o.id AS "agencyId", p.code')} WHERE p.code = $1`,
      [code],
    );
    return rows[0];
  }

  /** A project's code, by id. */
  async codeOf(projectId: string): Promise<string | undefined> {
    const rows: Array<{ code: string }> = await this.ds.query('SELECT code FROM projects WHERE id = $1', [
      projectId,
    ]);
    return rows[0]?.code;
  }

  /** The organizations taking part, by role: organizations only, never people. */
  parties(
    projectId: string,
  ): Promise<Array<{ id: string; organization: string; kind: string; role: string }>> {
    return this.ds.query(
      `SELECT DISTINCT o.id, o.name AS organization, o.kind, m.role
         FROM project_members m JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = u.organization_id
        WHERE m.project_id = $1 AND m.role <> 'observer'
        ORDER BY m.role, o.name`,
      [projectId],
    );
  }
}
