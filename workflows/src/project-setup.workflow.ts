/**
 * Provisions a newly created project: its default approval lines. Started by the API inside the
 * transaction that creates the project, so the activity retries until that commit is visible and
 * gives up (failing this workflow, harmlessly) if the transaction rolled back.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES } from '@openccs/contracts';
import type { ProjectSetupActivities, ProjectSetupInput, ProjectSetupResult } from '@openccs/contracts';

const { seedDefaultApprovalLines } = proxyActivities<ProjectSetupActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
});

export async function projectSetupWorkflow(input: ProjectSetupInput): Promise<ProjectSetupResult> {
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.projectId, value: input.projectId }]);
  return seedDefaultApprovalLines(input.projectId);
}
