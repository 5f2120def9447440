/**
 * Starts the workflows that follow an administrative change, from inside the change's
 * transaction: if Temporal refuses the start, the change is refused too (503, nothing changed);
 * if the commit fails after the start, the workflow finds no committed change and gives up.
 * Either way a change never goes without the work that must follow it.
 */
import { Injectable } from '@nestjs/common';
import { WorkflowIdConflictPolicy, type SearchAttributePair } from '@temporalio/common';
import {
  FEEDBACK_WORKFLOW,
  feedbackWorkflowId,
  type FeedbackWorkflowInput,
  MEMBERSHIP_CHANGE_WORKFLOW,
  membershipChangeWorkflowId,
  PROJECT_SETUP_WORKFLOW,
  projectSetupWorkflowId,
  SEARCH_ATTRIBUTES,
  type MembershipChangeInput,
  type ProjectSetupInput,
} from '@openccs/contracts';
import { ProblemException } from '../common/problem';
import { TemporalClient } from './temporal.module';

/** How long a staff request waits for Temporal to accept a start before it is refused. */
const START_DEADLINE_MS = 5_000;

@Injectable()
export class WorkflowStarter {
  constructor(private readonly temporal: TemporalClient) {}

  /** A project's setup (its default approval lines); a second start attaches to the first. */
  projectSetup(projectId: string): Promise<void> {
    const input: ProjectSetupInput = { projectId };
    return this.start(PROJECT_SETUP_WORKFLOW, projectSetupWorkflowId(projectId), input, [
      { key: SEARCH_ATTRIBUTES.projectId, value: projectId },
    ]);
  }

  /** Tells the reports a membership change touches to re-check their assignees. */
  membershipChange(input: MembershipChangeInput): Promise<void> {
    return this.start(MEMBERSHIP_CHANGE_WORKFLOW, membershipChangeWorkflowId(input.auditEventId), input, []);
  }

  /** A citizen's feedback: started inside the transaction that stores it. */
  feedback(input: FeedbackWorkflowInput): Promise<void> {
    return this.start(FEEDBACK_WORKFLOW, feedbackWorkflowId(input.id), input, []);
  }

  private async start(
    type: string,
    workflowId: string,
    input: unknown,
    typedSearchAttributes: SearchAttributePair[],
  ): Promise<void> {
    try {
      const { client } = this.temporal;
      await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        client.workflow.start(type, {
          workflowId,
          taskQueue: this.temporal.taskQueue,
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          typedSearchAttributes,
        }),
      );
    } catch (err) {
      throw new ProblemException(
        'workflow_engine_unavailable',
        `The workflow engine did not accept the request, so nothing was changed; retry later. (${(err as Error).message})`,
      );
    }
  }
}
