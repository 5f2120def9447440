import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
