import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEventEntity } from '../entities';

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
  /** Always inside the transaction of the change it records, so neither exists without the other. */
  async record(tx: EntityManager, entry: AuditEntry): Promise<void> {
    await tx.save(tx.create(AuditEventEntity, { ...entry, details: entry.details ?? {} }));
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
}

/** Reads the audit log for administrators and auditors: newest first, by id. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly ds: DataSource) {}

  list(filter: AuditFilter, page: { limit: number; after?: string }): Promise<AuditEventRow[]> {
    return this.ds.query(
      `SELECT id::text, occurred_at AS "occurredAt", actor_user_id AS "actorUserId", action,
              subject_type AS "subjectType", subject_id AS "subjectId", request_id AS "requestId", details
         FROM audit_events
        WHERE ($1::text IS NULL OR subject_type = $1) AND ($2::text IS NULL OR subject_id = $2)
          AND ($3::uuid IS NULL OR actor_user_id = $3) AND ($4::text IS NULL OR action = $4)
          AND ($5::bigint IS NULL OR id < $5)
        ORDER BY id DESC LIMIT $6`,
      [
        filter.subjectType ?? null,
        filter.subjectId ?? null,
        filter.actorUserId ?? null,
        filter.action ?? null,
        page.after ?? null,
        page.limit,
      ],
    );
  }
}
