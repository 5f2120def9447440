/**
 * How an activity failure reaches a workflow. A failure that retrying cannot fix (PostgreSQL
 * refused the data itself) becomes a non-retryable `ApplicationFailure`, which the workflow
 * handles at once (refusing the command, or setting the step aside for an operator) instead of
 * retrying forever. Anything else retries with backoff, because an outage must delay a
 * decision, never lose it; once a report workflow's activity has failed `threshold` times in a
 * row it is reported as a workflow problem (readiness degrades, `GET /api/v1/admin/stuck` lists
 * it), and the next success clears the report.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { ACTIVITY_FAILURE, REPORT_WORKFLOW, type ActivityFailureType } from '@openccs/contracts';
import { isDataRejection, type WorkflowProblemsRepository } from '@openccs/persistence';

/** A failure retrying cannot mend, of one of the types workflows know (`ACTIVITY_FAILURE`). */
export function permanent(type: ActivityFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** `err` as a permanent failure when retrying cannot mend it, else `null` (retry). */
export function permanentFailure(err: unknown): ApplicationFailure | null {
  if (err instanceof ApplicationFailure) return err.nonRetryable ? err : null;
  if (!isDataRejection(err)) return null;
  const message = err instanceof Error ? err.message : String(err);
  return permanent(ACTIVITY_FAILURE.dataRejected, `PostgreSQL refused the data: ${message}`);
}

export class ActivityFailures implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly problems: WorkflowProblemsRepository,
    private readonly threshold: number,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
    const { attempt, activityType, workflowExecution, workflowType } = this.ctx.info;
    // Only a report's own work makes it stuck; a webhook receiver that is down retries by design.
    const workflowId = workflowType === REPORT_WORKFLOW ? workflowExecution?.workflowId : undefined;
    try {
      const result: unknown = await next(input);
      if (attempt > 1 && workflowId)
        await this.problems.resolve(workflowId, activityType).catch(() => undefined);
      return result;
    } catch (err) {
      const permanent = permanentFailure(err);
      if (permanent) throw permanent;
      if (attempt >= this.threshold && workflowId) {
        // Best effort: the database may be what is failing.
        const detail = err instanceof Error ? err.message : String(err);
        await this.problems
          .record(workflowId, activityType, 'activity_retrying', attempt, detail)
          .catch(() => undefined);
      }
      throw err;
    }
  }
}
