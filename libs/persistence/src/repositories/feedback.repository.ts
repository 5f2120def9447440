/**
 * Citizen feedback as stored: the read model of each feedback's workflow, its sealed contact,
 * and the spent proof-of-work challenges. Counting and duplicate checks read PostgreSQL, so every
 * API process shares them.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FeedbackCategory, FeedbackState, FeedbackStatus } from '@openccs/domain';

export interface FeedbackRow {
  id: string;
  projectId: string;
  category: FeedbackCategory;
  status: FeedbackStatus;
  assignees: string[];
  escalatedRoles: string[];
  dueAt: string | null;
  state: FeedbackState;
  contactSealed: string | null;
  contactForgottenAt: string | null;
  createdAt: string;
}

const COLUMNS = `f.id, f.project_id AS "projectId", f.category, f.status, f.assignees,
  f.escalated_roles AS "escalatedRoles", f.due_at AS "dueAt", f.state, f.contact_sealed AS "contactSealed",
  f.contact_forgotten_at AS "contactForgottenAt", f.created_at AS "createdAt"`;

@Injectable()
export class FeedbackRepository {
  constructor(private readonly ds: DataSource) {}

  /** Marks a challenge spent by a client; false when it was spent already (a replay). */
  async spendChallenge(
    tx: EntityManager,
    challenge: string,
    expiresAt: Date,
    clientHash: string,
  ): Promise<boolean> {
    // Long expired challenges can go: their expiry refuses them anyway, and the hourly limits
    // look back one hour only.
    await tx.query(`DELETE FROM feedback_challenges WHERE expires_at < now() - interval '2 hours'`);
    const rows: unknown[] = await tx.query(
      `INSERT INTO feedback_challenges (challenge, expires_at, client_hash) VALUES ($1, $2, $3)
       ON CONFLICT (challenge) DO NOTHING RETURNING challenge`,
      [challenge, expiresAt.toISOString(), clientHash],
    );
    return rows.length === 1;
  }

  /** Challenges this client spent (submissions and follow-ups) since `since`. */
  async spentBy(clientHash: string, since: Date): Promise<number> {
    const rows: Array<{ n: string }> = await this.ds.query(
      `SELECT count(*) AS n FROM feedback_challenges WHERE client_hash = $1 AND spent_at >= $2`,
      [clientHash, since.toISOString()],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Feedback this project received since `since`. */
  async receivedSince(projectId: string, since: Date): Promise<number> {
    const rows: Array<{ n: string }> = await this.ds.query(
      `SELECT count(*) AS n FROM feedback WHERE project_id = $1 AND created_at >= $2`,
      [projectId, since.toISOString()],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The same message to the same project since `since`. */
  async duplicateSince(projectId: string, messageHash: string, since: Date): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM feedback WHERE project_id = $1 AND message_hash = $2 AND created_at >= $3 LIMIT 1`,
      [projectId, messageHash, since.toISOString()],
    );
    return rows.length > 0;
  }

  async insert(
    tx: EntityManager,
    row: {
      id: string;
      projectId: string;
      trackingHash: string;
      category: FeedbackCategory;
      messageHash: string;
      clientHash: string;
      contactSealed: string | null;
      state: FeedbackState;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO feedback (id, project_id, tracking_hash, category, message_hash, client_hash, contact_sealed, status, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.projectId,
        row.trackingHash,
        row.category,
        row.messageHash,
        row.clientHash,
        row.contactSealed,
        row.state.status,
        JSON.stringify(row.state),
      ],
    );
  }

  /**
   * Writes the workflow's state; an older version than the stored one is ignored (an activity
   * retried after a newer one ran). False when the feedback does not exist (its submission did
   * not commit).
   */
  async project(state: FeedbackState, version: number, escalatedRoles: readonly string[]): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `UPDATE feedback SET state = $2, status = $3, assignees = $4, escalated_roles = $5, due_at = $6,
              version = $7, updated_at = now()
        WHERE id = $1 AND version < $7 RETURNING id`,
      [state.id, JSON.stringify(state), state.status, state.assignees, escalatedRoles, state.dueAt, version],
    );
    if (rows.length > 0) return true;
    return (await this.byId(state.id)) !== undefined;
  }

  async byId(id: string): Promise<FeedbackRow | undefined> {
    const rows: FeedbackRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM feedback f WHERE f.id = $1`, [
      id,
    ]);
    return rows[0];
  }

  async byTrackingHash(hash: string): Promise<(FeedbackRow & { projectCode: string }) | undefined> {
    const rows: Array<FeedbackRow & { projectCode: string }> = await this.ds.query(
      `SELECT ${COLUMNS}, p.code AS "projectCode" FROM feedback f JOIN projects p ON p.id = f.project_id
        WHERE f.tracking_hash = $1`,
      [hash],
    );
    return rows[0];
  }

  /**
   * Feedback a staff member handles: assigned to them, escalated to a role they hold on its
   * project, or on a project where they moderate (agency officer or head); everything for `all`
   * (administrators and auditors). Newest first.
   */
  async forStaff(
    userId: string,
    filter: { status?: FeedbackStatus; all: boolean },
    page: { limit: number; after?: string },
  ): Promise<Array<FeedbackRow & { projectCode: string; projectTitle: string }>> {
    // The cursor is "<created_at ISO>|<id>" (byInstantAndId in the API).
    const after = page.after?.split('|');
    return this.ds.query(
      `SELECT ${COLUMNS}, p.code AS "projectCode", p.title AS "projectTitle"
         FROM feedback f JOIN projects p ON p.id = f.project_id
        WHERE ($2::boolean OR EXISTS (
                -- Current members only: someone who left the project no longer handles its feedback.
                SELECT 1 FROM project_members m WHERE m.project_id = f.project_id AND m.user_id = $1
                   AND m.role <> 'observer'
                   AND ($1::uuid = ANY (f.assignees) OR m.role = ANY (f.escalated_roles)
                        OR m.role IN ('agency_officer', 'agency_head'))))
          AND ($3::text IS NULL OR f.status = $3)
          AND ($4::timestamptz IS NULL OR (f.created_at, f.id) < ($4::timestamptz, $5::uuid))
        ORDER BY f.created_at DESC, f.id DESC
        LIMIT $6`,
      [userId, filter.all, filter.status ?? null, after?.[0] ?? null, after?.[1] ?? null, page.limit],
    );
  }

  /** Deletes the contact for good. */
  async forgetContact(id: string): Promise<void> {
    await this.ds.query(
      `UPDATE feedback SET contact_sealed = NULL, contact_forgotten_at = coalesce(contact_forgotten_at, now())
        WHERE id = $1`,
      [id],
    );
  }
}
