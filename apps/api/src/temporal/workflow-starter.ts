import { Injectable } from '@nestjs/common';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import {
  PROJECT_SETUP_WORKFLOW,
  projectSetupWorkflowId,
  SEARCH_ATTRIBUTES,
  type ProjectSetupInput,
} from '@openccs/contracts';
import { ProblemException } from '../common/problem';
import { TemporalClient } from './temporal.module';

/** How long a staff request waits for Temporal to accept a start before it is refused. */
const START_DEADLINE_MS = 5_000;

/** Starts a project's setup workflow; a second start for the same project attaches to the first. */
@Injectable()
export class ProjectSetupStarter {
  constructor(private readonly temporal: TemporalClient) {}

  async start(projectId: string): Promise<void> {
    const input: ProjectSetupInput = { projectId };
    try {
      const { client } = this.temporal;
      await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        client.workflow.start(PROJECT_SETUP_WORKFLOW, {
          workflowId: projectSetupWorkflowId(projectId),
          taskQueue: this.temporal.taskQueue,
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.projectId, value: projectId }],
        }),
      );
    } catch (err) {
      throw new ProblemException({
        status: 503,
        code: 'workflow_engine_unavailable',
        detail: `The workflow engine did not accept the request, so nothing was changed; retry later. (${(err as Error).message})`,
      });
    }
  }
}
