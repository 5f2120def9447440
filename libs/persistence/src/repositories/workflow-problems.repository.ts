/**
 * Problems of report workflows that the workers saw: an activity retrying past a threshold, or a
 * step the workflow could not carry out and set aside (a refused projection or publication).
 * Readiness and the stuck list read them; an activity that succeeds again clears its row.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type ProblemKind = 'activity_retrying' | 'activity_refused';

export interface WorkflowProblem {
  workflowId: string;
  reportId: string | null;
  source: string;
  kind: ProblemKind;
  attempt: number;
  detail: string;
  firstSeenAt: string;
  updatedAt: string;
}

/** Report workflows are `report:<uuid>`; the report id is what operators look for. */
function reportIdOf(workflowId: string): string | null {
  const m = /^report:([0-9a-f-]{36})$/.exec(workflowId);
  return m?.[1] ?? null;
}

@Injectable()
export class WorkflowProblemsRepository {
  constructor(private readonly ds: DataSource) {}

  async record(workflowId: string, source: string, kind: ProblemKind, attempt: number, detail: string) {
    await this.ds.query(
      `INSERT INTO workflow_problems (workflow_id, report_id, source, kind, attempt, detail)
       VALUES ($1, $2, $3, $4, $5, left($6, 2000))
       ON CONFLICT (workflow_id, source) DO UPDATE SET
         kind = EXCLUDED.kind, attempt = EXCLUDED.attempt, detail = EXCLUDED.detail, updated_at = now()`,
      [workflowId, reportIdOf(workflowId), source, kind, attempt, detail.replace(/\u0000/g, '')],
    );
  }

  async resolve(workflowId: string, source: string): Promise<void> {
    await this.ds.query(`DELETE FROM workflow_problems WHERE workflow_id = $1 AND source = $2`, [
      workflowId,
      source,
    ]);
  }

  async clear(workflowId: string): Promise<void> {
    await this.ds.query(`DELETE FROM workflow_problems WHERE workflow_id = $1`, [workflowId]);
  }

  async list(limit = 500): Promise<WorkflowProblem[]> {
    return this.ds.query(
      `SELECT workflow_id AS "workflowId", report_id AS "reportId", source, kind, attempt, detail,
              first_seen_at AS "firstSeenAt", updated_at AS "updatedAt"
         FROM workflow_problems ORDER BY first_seen_at, workflow_id LIMIT $1`,
      [limit],
    );
  }
}
