/**
 * The reports read model. Written only by the projection activity, newest version wins, so
 * retried, replayed or reordered projections can never move a report backwards.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { upgradeState, type ReportState } from '@openccs/domain';
import { AuditRepository, type AuditEntry } from './audit.repository';
import { referenceFiles } from './files.repository';

export interface ReportRow {
  id: string;
  projectId: string;
  status: ReportState['status'];
  state: ReportState;
}

export interface InboxRow {
  reportId: string;
  projectId: string;
  kind: string;
  title: string;
  revision: number;
  stepKey: string;
  stepName: string;
  openedAt: string;
  dueAt: string | null;
  projectCode: string;
  projectTitle: string;
}

/** A report as a project's list shows it. */
export interface ProjectReportRow {
  id: string;
  kind: string;
  title: string;
  status: ReportState['status'];
  revision: number;
  currentStepKey: string | null;
  submittedAt: string;
  updatedAt: string;
}

/** What an inbox can be narrowed to, and its order. */
export interface InboxFilter {
  readonly projectId?: string;
  readonly kind?: string;
  /** Only steps past their deadline. */
  readonly overdue?: boolean;
  /** `opened` (the default, oldest first) or `due` (soonest deadline first; no deadline last). */
  readonly order?: 'opened' | 'due';
}

@Injectable()
export class ReportsRepository {
  private readonly audit = new AuditRepository();

  constructor(private readonly ds: DataSource) {}

  /** Writes `state` unless a newer version is stored already; returns whether it was written. */
  async project(state: ReportState, event: AuditEntry): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const current = state.currentStep === null ? null : (state.steps[state.currentStep]?.key ?? null);
      const written: unknown[] = await tx.query(
        `INSERT INTO reports (id, project_id, kind, title, status, revision, current_step_key, submitter_id,
                              line_version, amount, amount_currency, state, version, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (id) DO UPDATE SET
           title = EXCLUDED.title, status = EXCLUDED.status, revision = EXCLUDED.revision,
           current_step_key = EXCLUDED.current_step_key, amount = EXCLUDED.amount,
           amount_currency = EXCLUDED.amount_currency, state = EXCLUDED.state,
           version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
         WHERE reports.version < EXCLUDED.version
         RETURNING id`,
        [
          state.reportId,
          state.projectId,
          state.kind,
          state.title,
          state.status,
          state.revision,
          current,
          state.submitterId,
          state.lineVersion,
          state.amount?.value ?? null,
          state.amount?.currency ?? null,
          JSON.stringify(state),
          state.version,
          state.submittedAt,
          state.updatedAt,
        ],
      );
      if (written.length === 0) return false; // stale: a newer version is stored
      // One statement per table, whatever the number of steps, assignees and decisions: the
      // projection runs inside every decision, so each round trip to PostgreSQL counts.
      await tx.query(`DELETE FROM report_steps WHERE report_id = $1`, [state.reportId]);
      await tx.query(
        `INSERT INTO report_steps (report_id, position, key, name, assignee_role, mode, status, opened_at, due_at, closed_at)
         SELECT $1::uuid, s.position, s.key, s.name, s.assignee_role, s.mode, s.status, s.opened_at, s.due_at, s.closed_at
           FROM jsonb_to_recordset($2::jsonb) AS s(position integer, key text, name text, assignee_role text,
                                                   mode text, status text, opened_at timestamptz,
                                                   due_at timestamptz, closed_at timestamptz)`,
        [
          state.reportId,
          JSON.stringify(
            state.steps.map((step, position) => ({
              position,
              key: step.key,
              name: step.name,
              assignee_role: step.assigneeRole,
              mode: step.mode,
              status: step.status,
              opened_at: step.openedAt,
              due_at: step.dueAt,
              closed_at: step.closedAt,
            })),
          ),
        ],
      );
      await tx.query(
        `INSERT INTO report_step_assignees (report_id, position, user_id)
         SELECT $1::uuid, a.position, a.user_id FROM jsonb_to_recordset($2::jsonb) AS a(position integer, user_id uuid)`,
        [
          state.reportId,
          JSON.stringify(
            state.steps.flatMap((step, position) =>
              step.assignees.map((userId) => ({ position, user_id: userId })),
            ),
          ),
        ],
      );
      await tx.query(
        `INSERT INTO report_decisions (report_id, seq, revision, step_key, actor_id, action, comment, decided_at)
         SELECT $1::uuid, d.seq, d.revision, d.step_key, d.actor_id, d.action, d.comment, d.decided_at
           FROM jsonb_to_recordset($2::jsonb) AS d(seq integer, revision integer, step_key text, actor_id uuid,
                                                   action text, comment text, decided_at timestamptz)
         ON CONFLICT (report_id, seq) DO NOTHING`,
        [
          state.reportId,
          JSON.stringify(
            state.decisions.map((d, seq) => ({
              seq,
              revision: d.revision,
              step_key: d.stepKey,
              actor_id: d.actorId,
              action: d.action,
              comment: d.comment,
              decided_at: d.at,
            })),
          ),
        ],
      );
      for (const step of state.steps) {
        for (const e of step.escalations) {
          await tx.query(
            `INSERT INTO escalations (id, report_id, project_id, step_key, revision, level, to_role, generation,
                                      due_at, opened_at, status, resolution, resolved_at, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, resolution = EXCLUDED.resolution,
                                            resolved_at = EXCLUDED.resolved_at`,
            [
              e.id,
              state.reportId,
              state.projectId,
              e.stepKey,
              e.revision,
              e.level,
              e.toRole,
              e.generation,
              e.dueAt,
              e.openedAt,
              e.status,
              e.resolution ? JSON.stringify(e.resolution) : null,
              e.resolution?.at ?? null,
              e.reason ?? 'overdue',
            ],
          );
        }
      }
      // Who may read an attached file follows the report's project.
      await referenceFiles(
        tx,
        { type: 'report', id: state.reportId, projectId: state.projectId },
        (state.attachments ?? []).map((a) => a.fileId),
      );
      await this.audit.record(tx, event);
      return true;
    });
  }

  /**
   * The state stored as `version` of the report when that version was written by the change
   * `action` of `actorId` (its audit event says so), else null. A local activity that runs again
   * after its workflow task was lost finds here what its first attempt stored.
   */
  async storedChange(
    reportId: string,
    version: number,
    action: string,
    actorId: string | null,
  ): Promise<ReportState | null> {
    const rows: Array<{ state: ReportState }> = await this.ds.query(
      `SELECT r.state FROM reports r
        WHERE r.id = $1 AND r.version = $2
          AND EXISTS (SELECT 1 FROM audit_events a
                       WHERE a.subject_type = 'report' AND a.subject_id = $3
                         AND a.details->>'version' = $6 AND a.action = $4
                         AND a.actor_user_id IS NOT DISTINCT FROM $5::uuid)`,
      [reportId, version, reportId, action, actorId, String(version)],
    );
    return rows[0]?.state ?? null;
  }

  async findById(id: string): Promise<ReportRow | null> {
    const rows: Array<{ id: string; project_id: string; status: ReportState['status']; state: ReportState }> =
      await this.ds.query(`SELECT id, project_id, status, state FROM reports WHERE id = $1`, [id]);
    const row = rows[0];
    // States stored by older releases lack fields newer code reads (kind snapshots, timing).
    return row
      ? { id: row.id, projectId: row.project_id, status: row.status, state: upgradeState(row.state) }
      : null;
  }

  /** A project's reports, newest first (cursor: `submittedAt|id`), narrowed by status and kind. */
  listForProject(
    projectId: string,
    filter: { status?: string; kind?: string },
    page: { limit: number; after?: string },
  ): Promise<ProjectReportRow[]> {
    const [afterAt, afterId] = page.after?.split('|') ?? [];
    return this.ds.query(
      `SELECT id, kind, title, status, revision, current_step_key AS "currentStepKey",
              submitted_at AS "submittedAt", updated_at AS "updatedAt"
         FROM reports
        WHERE project_id = $1
          AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR kind = $3)
          AND ($4::timestamptz IS NULL OR (submitted_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY submitted_at DESC, id DESC
        LIMIT $6`,
      [projectId, filter.status ?? null, filter.kind ?? null, afterAt ?? null, afterId ?? null, page.limit],
    );
  }

  /** Reports in review whose open step has `userId` among its assignees (on one project, or any). */
  async openAssignedTo(userId: string, projectId: string | null): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT DISTINCT r.id
         FROM report_step_assignees a
         JOIN report_steps s ON s.report_id = a.report_id AND s.position = a.position AND s.status = 'active'
         JOIN reports r ON r.id = a.report_id AND r.status = 'in_review'
        WHERE a.user_id = $1 AND ($2::uuid IS NULL OR r.project_id = $2::uuid)
        ORDER BY r.id`,
      [userId, projectId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Open steps `userId` can act on, narrowed by `filter`: oldest first with a cursor
   * (`openedAt|reportId`), or soonest due first (no cursor: the whole inbox up to `limit`).
   */
  async inbox(
    userId: string,
    page: { limit: number; after?: string },
    filter: InboxFilter = {},
  ): Promise<InboxRow[]> {
    const [afterAt, afterId] = page.after?.split('|') ?? [];
    const order = filter.order === 'due' ? 's.due_at NULLS LAST, r.id' : 's.opened_at, r.id';
    return this.ds.query(
      `SELECT r.id AS "reportId", r.project_id AS "projectId", r.kind, r.title, r.revision,
              s.key AS "stepKey", s.name AS "stepName", s.opened_at AS "openedAt", s.due_at AS "dueAt",
              p.code AS "projectCode", p.title AS "projectTitle"
         FROM report_step_assignees a
         JOIN report_steps s ON s.report_id = a.report_id AND s.position = a.position AND s.status = 'active'
         JOIN reports r ON r.id = a.report_id AND r.status = 'in_review'
         JOIN projects p ON p.id = r.project_id
         -- Only while the assignee still acts in the step's role (actingRole in libs/domain): a
         -- removed or demoted member leaves the inbox at once, before the workflow revises the step.
         JOIN project_members m ON m.project_id = r.project_id AND m.user_id = a.user_id AND m.role = s.assignee_role
         JOIN users u ON u.id = a.user_id AND u.active AND u.system_role = 'staff'
        WHERE a.user_id = $1
          AND ($2::timestamptz IS NULL OR (s.opened_at, r.id) > ($2::timestamptz, $3::uuid))
          AND ($5::uuid IS NULL OR r.project_id = $5::uuid)
          AND ($6::text IS NULL OR r.kind = $6::text)
          AND ($7::boolean IS NOT TRUE OR s.due_at < now())
        ORDER BY ${order}
        LIMIT $4`,
      [
        userId,
        afterAt ?? null,
        afterId ?? null,
        page.limit,
        filter.projectId ?? null,
        filter.kind ?? null,
        filter.overdue ?? null,
      ],
    );
  }
}
