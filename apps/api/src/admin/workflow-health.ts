/**
 * What readiness and operators need to know about the workflows: whether a worker is polling the
 * task queue, which report workflows have failing tasks (Temporal flags a workflow after two
 * consecutive failed or timed-out workflow tasks: the TemporalReportedProblems search attribute),
 * and which have activities retrying past STUCK_AFTER_ATTEMPTS or set aside (workflow_problems,
 * written by the workers). And the one repair: restart a report's workflow from its read model.
 */
import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  REPORT_WORKFLOW,
  reportWorkflowId,
  SEARCH_ATTRIBUTES,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import { DomainError } from '@openccs/domain';
import {
  AuditRepository,
  EscalationsRepository,
  ReportsRepository,
  WorkflowProblemsRepository,
} from '@openccs/persistence';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../common/request-context';
import { TemporalClient } from '../temporal/temporal.module';

/** A worker long-polls for at most a minute; silence past this means none is polling. */
export const WORKER_SILENCE_SECONDS = 70;
const CALL_DEADLINE_MS = 2_000;

export interface StuckReport {
  reportId: string | null;
  workflowId: string;
  /** Why it needs attention, in words an operator can act on. */
  reason: string;
  since: string | null;
  /**
   * What mends it: `restart` its workflow (POST …/restart), or `add_member`: an escalation waits
   * for a role nobody on the project holds, which only a new member in that role can handle.
   */
  remedy: 'restart' | 'add_member';
}

/** Escalations without a handler listed at once; the oldest come first. */
const UNATTENDED_LISTED = 100;

@Injectable()
export class WorkflowHealth {
  constructor(
    private readonly temporal: TemporalClient,
    private readonly problems: WorkflowProblemsRepository,
    private readonly reports: ReportsRepository,
    private readonly audit: AuditRepository,
    private readonly escalations: EscalationsRepository,
    private readonly ds: DataSource,
  ) {}

  /** Seconds since a worker last polled the workflow task queue, or null when none ever did. */
  async workerSilence(): Promise<number | null> {
    const { connection, config } = this.temporal;
    const described = await connection.withDeadline(Date.now() + CALL_DEADLINE_MS, () =>
      connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    const last = Math.max(
      0,
      ...(described.pollers ?? []).map((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000),
    );
    return last === 0 ? null : Math.max(0, Math.round((Date.now() - last) / 1000));
  }

  /** Every report that needs an operator, with the reason and the remedy. */
  async stuck(): Promise<StuckReport[]> {
    return [...(await this.stuckWorkflows()), ...(await this.unattended())];
  }

  /** Open escalations raised to a role nobody on the project holds. */
  async unattended(): Promise<StuckReport[]> {
    return (await this.escalations.unattended(UNATTENDED_LISTED)).map((e) => ({
      reportId: e.reportId,
      workflowId: reportWorkflowId(e.reportId),
      reason: `an escalation of step ${e.stepKey} (${e.reason}) waits for a ${e.toRole}, and nobody on project ${e.projectCode} is one: add a member in that role`,
      since: new Date(e.openedAt).toISOString(),
      remedy: 'add_member' as const,
    }));
  }

  /** Reports whose workflow cannot make progress: its tasks or activities keep failing. */
  async stuckWorkflows(): Promise<StuckReport[]> {
    const out = new Map<string, StuckReport>();
    for (const p of await this.problems.list()) {
      const reason =
        p.kind === 'activity_retrying'
          ? `${p.source} has failed ${p.attempt} times in a row: ${p.detail}`
          : `${p.source} was refused and set aside: ${p.detail}`;
      const seen = out.get(p.workflowId);
      out.set(p.workflowId, {
        reportId: p.reportId,
        workflowId: p.workflowId,
        reason: seen ? `${seen.reason}; ${reason}` : reason,
        since: new Date(p.firstSeenAt).toISOString(),
        remedy: 'restart',
      });
    }
    const { client, config } = this.temporal;
    const query = `TaskQueue = '${config.temporal.taskQueue}' AND ExecutionStatus = 'Running' AND TemporalReportedProblems IS NOT NULL`;
    await client.withDeadline(Date.now() + CALL_DEADLINE_MS, async () => {
      for await (const w of client.workflow.list({ query, pageSize: 100 })) {
        const flags = w.searchAttributes?.TemporalReportedProblems;
        const reason = `its workflow tasks keep failing (${Array.isArray(flags) ? flags.join(', ') : 'reported by Temporal'})`;
        const id = /^report:([0-9a-f-]{36})$/.exec(w.workflowId)?.[1] ?? null;
        const seen = out.get(w.workflowId);
        out.set(w.workflowId, {
          reportId: id,
          workflowId: w.workflowId,
          reason: seen ? `${seen.reason}; ${reason}` : reason,
          since: seen?.since ?? null,
          remedy: 'restart',
        });
        if (out.size >= 500) break;
      }
    });
    return [...out.values()];
  }

  /**
   * Restarts a report's workflow from the read model, the last state it stored: a running run
   * is terminated (with the reason), a new one continues from that state, and the report's
   * problems are cleared. A change the stuck run accepted but never stored is dropped (its
   * caller was never told it succeeded). A run with no stored state at all (a submission that
   * never got through) is only ended. Audited.
   */
  async restart(reportId: string, reason: string, ctx: RequestContext): Promise<{ runId: string | null }> {
    const row = await this.reports.findById(reportId);
    const { client } = this.temporal;
    const workflowId = reportWorkflowId(reportId);
    const handle = client.workflow.getHandle(workflowId);
    const previous = await handle.describe().catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    });
    if (!row && previous?.status.name !== 'RUNNING')
      throw new DomainError('report.not_found', `No report ${reportId}.`);
    if (previous?.status.name === 'RUNNING') await handle.terminate(`repair: ${reason}`);
    if (!row) {
      // A submission that never stored anything: there is no report to continue, only a run to end.
      await this.problems.clear(workflowId);
      await this.recordRepair(reportId, ctx, { reason, terminated: previous?.runId ?? null, runId: null });
      return { runId: null };
    }
    const input: ReportWorkflowInput = {
      submission: row.state,
      requestId: ctx.requestId,
      carried: { state: row.state, processedKeys: [] },
    };
    const started = await client.workflow.start(REPORT_WORKFLOW, {
      workflowId,
      taskQueue: this.temporal.taskQueue,
      args: [input],
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.projectId, value: row.state.projectId },
        { key: SEARCH_ATTRIBUTES.reportKind, value: row.state.kind },
      ],
    });
    await this.problems.clear(workflowId);
    await this.recordRepair(reportId, ctx, {
      reason,
      restartedFromVersion: row.state.version,
      previousRunId: previous?.runId ?? null,
      runId: started.firstExecutionRunId,
    });
    return { runId: started.firstExecutionRunId };
  }

  private async recordRepair(reportId: string, ctx: RequestContext, details: Record<string, unknown>) {
    await this.ds.transaction((tx) =>
      this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'report.repair',
        subjectType: 'report',
        subjectId: reportId,
        requestId: ctx.requestId,
        details,
      }),
    );
  }
}
