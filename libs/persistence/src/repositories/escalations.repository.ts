/** The escalations read model: what handlers see, projected from report workflows. */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EscalationResolution, ProjectRole } from '@openccs/domain';

export interface EscalationRow {
  id: string;
  reportId: string;
  projectId: string;
  projectCode: string;
  reportTitle: string;
  reportKind: string;
  stepKey: string;
  revision: number;
  level: number;
  /** `overdue` (a missed deadline) or `unassigned` (nobody left who can decide the step). */
  reason: 'overdue' | 'unassigned';
  toRole: ProjectRole;
  dueAt: string;
  openedAt: string;
  status: 'open' | 'resolved';
  resolution: EscalationResolution | null;
  resolvedAt: string | null;
}

const SELECT = `
  SELECT e.id, e.report_id AS "reportId", e.project_id AS "projectId", p.code AS "projectCode",
         r.title AS "reportTitle", r.kind AS "reportKind", e.step_key AS "stepKey", e.revision, e.level,
         e.reason, e.to_role AS "toRole", e.due_at AS "dueAt", e.opened_at AS "openedAt", e.status, e.resolution,
         e.resolved_at AS "resolvedAt"
    FROM escalations e JOIN reports r ON r.id = e.report_id JOIN projects p ON p.id = e.project_id`;

@Injectable()
export class EscalationsRepository {
  constructor(private readonly ds: DataSource) {}

  findById(id: string): Promise<EscalationRow | undefined> {
    return this.ds.query(`${SELECT} WHERE e.id = $1`, [id]).then((rows: EscalationRow[]) => rows[0]);
  }

  /** Escalations on projects where `userId` holds the role they were raised to, oldest first. */
  forHandler(
    userId: string,
    status: 'open' | 'resolved',
    page: { limit: number; after?: string },
  ): Promise<EscalationRow[]> {
    const [afterAt, afterId] = page.after?.split('|') ?? [];
    return this.ds.query(
      `${SELECT}
         JOIN project_members m ON m.project_id = e.project_id AND m.user_id = $1 AND m.role = e.to_role
        WHERE e.status = $2
          AND ($3::timestamptz IS NULL OR (e.opened_at, e.id) > ($3::timestamptz, $4::uuid))
        ORDER BY e.opened_at, e.id
        LIMIT $5`,
      [userId, status, afterAt ?? null, afterId ?? null, page.limit],
    );
  }

  /**
   * Open escalations nobody can handle: no active member of the project holds the role they were
   * raised to (an operator must add one). Oldest first, at most `limit`.
   */
  unattended(limit: number): Promise<EscalationRow[]> {
    return this.ds.query(
      `${SELECT}
        WHERE e.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM project_members m JOIN users u ON u.id = m.user_id
                           WHERE m.project_id = e.project_id AND m.role = e.to_role AND u.active)
        ORDER BY e.opened_at, e.id
        LIMIT $1`,
      [limit],
    );
  }
}
