import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEventEntity } from '../entities';
import { currentOperator } from '../operator';

export interface AuditEntry {
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  requestId: string | null;
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  /**
   * Always inside the transaction of the change it records, so neither exists without the other.
   * Returns the event's id, by which work started in the same transaction can tell it committed.
   */
  async record(tx: EntityManager, entry: AuditEntry): Promise<string> {
    // An operator at the command line is nobody's account: no actor user, the operator named.
    const operator = currentOperator();
    const row =
      operator === undefined
        ? { ...entry, details: entry.details ?? {} }
        : { ...entry, actorUserId: null, details: { ...entry.details, operator } };
    const saved = await tx.save(tx.create(AuditEventEntity, row));
    return String(saved.id);
  }
}

export interface AuditEventRow {
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actorUserId?: string;
  action?: string;
  /** Events about the project or one of its reports. */
  projectId?: string;
  /** From this instant on (inclusive)… */
  from?: string;
  /** …and before this one. */
  to?: string;
}

/** Reads the audit log for administrators and auditors: newest first, by id. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly ds: DataSource) {}

  /** Whether the audit event `id` is visible, i.e. the change it records has committed. */
  async committed(id: string): Promise<boolean> {
    if (!/^[1-9]\d{0,18}$/.test(id)) return false;
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM audit_events WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  list(filter: AuditFilter, page: { limit: number; after?: string }): Promise<AuditEventRow[]> {
    return this.ds.query(
      `SELECT id::text, occurred_at AS "occurredAt", actor_user_id AS "actorUserId", action,
              subject_type AS "subjectType", subject_id AS "subjectId", request_id AS "requestId", details
         FROM audit_events
        WHERE ($1::text IS NULL OR subject_type = $1) AND ($2::text IS NULL OR subject_id = $2)
          AND ($3::uuid IS NULL OR actor_user_id = $3) AND ($4::text IS NULL OR action = $4)
          AND ($5::bigint IS NULL OR id < $5)
          AND ($7::uuid IS NULL
               OR (subject_type = 'project' AND subject_id = $7::text)
               OR (subject_type = 'report'
                   AND subject_id IN (SELECT r.id::text FROM reports r WHERE r.project_id = $7::uuid)))
          AND ($8::timestamptz IS NULL OR occurred_at >= $8::timestamptz)
          AND ($9::timestamptz IS NULL OR occurred_at < $9::timestamptz)
        ORDER BY id DESC LIMIT $6`,
      [
        filter.subjectType ?? null,
        filter.subjectId ?? null,
        filter.actorUserId ?? null,
        filter.action ?? null,
        page.after ?? null,
        page.limit,
        filter.projectId ?? null,
        filter.from ?? null,
        filter.to ?? null,
      ],
    );
  }
}
