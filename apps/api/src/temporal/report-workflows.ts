/**
 * The API's side of report workflows: start (update-with-start, so the response is the state
 * the first step opened with) and commands (Workflow Updates). Refusals come back as the
 * domain's own codes, so the API answers with the reason the rules gave. The API judges nothing
 * itself: when a report's workflow has ended (the report is closed), the same domain transition
 * is asked about the last state the workflow stored, and its refusal is the answer.
 */
import { Injectable } from '@nestjs/common';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowNotFoundError } from '@temporalio/common';
import {
  REPORT_WORKFLOW,
  reportWorkflowId,
  SEARCH_ATTRIBUTES,
  submittedUpdate,
  type ReportCommand,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import { DomainError, REFUSAL_CODES, type ReportState } from '@openccs/domain';
import { ProblemException } from '../common/problem';
import { TemporalClient } from './temporal.module';
import { runUpdate } from './workflow-update';

const REFUSALS: ReadonlySet<string> = new Set<string>(REFUSAL_CODES);

@Injectable()
export class ReportWorkflows {
  constructor(private readonly temporal: TemporalClient) {}

  private get client(): Client {
    return this.temporal.client;
  }

  /** Starts the report's workflow (or attaches to it, for a retried submission) and returns its first state. */
  start(input: ReportWorkflowInput): Promise<ReportState> {
    const reportId = input.submission.reportId;
    return this.call(() =>
      this.client.workflow.executeUpdateWithStart(submittedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(REPORT_WORKFLOW, {
          workflowId: reportWorkflowId(reportId),
          taskQueue: this.temporal.taskQueue,
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          typedSearchAttributes: [
            { key: SEARCH_ATTRIBUTES.projectId, value: input.submission.projectId },
            { key: SEARCH_ATTRIBUTES.reportKind, value: input.submission.kind },
          ],
        }),
      }),
    );
  }

  /**
   * Sends one command; the update id is the request key, so Temporal itself drops a duplicate.
   * `stored` is the report as the read model holds it: what the domain judges once the workflow
   * has ended.
   */
  async command<A extends { requestKey: string; requestId: string | null; actorId: string }>(
    stored: ReportState,
    command: ReportCommand<A>,
    args: A,
  ): Promise<ReportState> {
    try {
      return await this.call(() =>
        this.client.workflow
          .getHandle(reportWorkflowId(stored.reportId))
          .executeUpdate(command.update, { args: [args], updateId: args.requestKey }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const t = command.transition(stored, args, new Date().toISOString());
      if (!t.ok) throw new DomainError(t.code, t.reason);
      // The rules would accept it, yet nothing runs the report: an operator must restart it.
      throw new ProblemException(
        'workflow_engine_unavailable',
        `The report's workflow is not running, so nothing was changed; an administrator can restart it (POST /api/v1/admin/stuck/${stored.reportId}/restart).`,
      );
    }
  }

  private call(run: () => Promise<ReportState>): Promise<ReportState> {
    return runUpdate(this.client, REFUSALS, run);
  }
}
