/**
 * The figures an operator watches, read in one go for the Prometheus gauges (apps/api/src/metrics):
 * open reports by kind, status and step, overdue steps, open escalations, webhook deliveries
 * that fail, and the size and last append of the public log. Every API process reads the same
 * rows, so every one reports the same values.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OperationsSnapshot {
  openReports: Array<{ kind: string; status: string; step: string; count: number }>;
  overdueSteps: Array<{ kind: string; count: number }>;
  openEscalations: Array<{ reason: string; count: number }>;
  /** `retrying`: pending after a failed attempt; `failed`: given up on after the last retry. */
  webhookDeliveries: Array<{ status: 'retrying' | 'failed'; count: number }>;
  logSize: number;
  /** Seconds since the epoch of the last record appended to the public log, null when empty. */
  logLastAppend: number | null;
}

@Injectable()
export class OperationsRepository {
  constructor(private readonly ds: DataSource) {}

  async snapshot(): Promise<OperationsSnapshot> {
    // One read-only transaction: the figures agree with one another.
    return this.ds.transaction('REPEATABLE READ', async (tx) => {
      const open = await tx.query<Array<{ kind: string; status: string; step: string; count: string }>>(
        `SELECT kind, status, coalesce(current_step_key, '') AS step, count(*) AS count
           FROM reports WHERE status IN ('in_review', 'returned')
          GROUP BY 1, 2, 3`,
      );
      // Overdue as the inbox's filter reads it (ReportsRepository): an active step of a report in
      // review whose deadline passed.
      const overdue = await tx.query<Array<{ kind: string; count: string }>>(
        `SELECT r.kind, count(*) AS count
           FROM report_steps s JOIN reports r ON r.id = s.report_id AND r.status = 'in_review'
          WHERE s.status = 'active' AND s.due_at < now()
          GROUP BY 1`,
      );
      const escalations = await tx.query<Array<{ reason: string; count: string }>>(
        `SELECT reason, count(*) AS count FROM escalations WHERE status = 'open' GROUP BY 1`,
      );
      const deliveries = await tx.query<Array<{ status: 'retrying' | 'failed'; count: string }>>(
        `SELECT CASE WHEN status = 'failed' THEN 'failed' ELSE 'retrying' END AS status, count(*) AS count
           FROM webhook_deliveries
          WHERE status = 'failed' OR (status = 'pending' AND attempts > 0)
          GROUP BY 1`,
      );
      const [last] = await tx.query<Array<{ seq: string; at: Date }>>(
        `SELECT seq, published_at AS at FROM disclosure_records ORDER BY seq DESC LIMIT 1`,
      );
      return {
        openReports: open.map((r) => ({ ...r, count: Number(r.count) })),
        overdueSteps: overdue.map((r) => ({ kind: r.kind, count: Number(r.count) })),
        openEscalations: escalations.map((r) => ({ reason: r.reason, count: Number(r.count) })),
        webhookDeliveries: deliveries.map((r) => ({ status: r.status, count: Number(r.count) })),
        logSize: last ? Number(last.seq) + 1 : 0,
        logLastAppend: last ? new Date(last.at).getTime() / 1000 : null,
      };
    });
  }
}
