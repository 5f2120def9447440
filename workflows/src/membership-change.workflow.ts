/**
 * Tells a membership change (a role changed, a member removed, an account deactivated) to every
 * open report whose open step has that person among its assignees; each report then re-checks
 * who may still decide it (`reviseAssignees`). Started by the API in the transaction of the
 * change, so no change goes untold; it waits for that transaction to commit.
 */
import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import {
  assigneesChangedSignal,
  reportWorkflowId,
  type MembershipChangeInput,
  type ReportActivities,
} from '@openccs/contracts';

const { reportsAssignedTo } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30 seconds',
  // Bounded: a change whose transaction rolled back never becomes visible; give up, harmlessly.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
});

export async function membershipChangeWorkflow(input: MembershipChangeInput): Promise<number> {
  const reports = await reportsAssignedTo(input);
  for (const reportId of reports) {
    try {
      await getExternalWorkflowHandle(reportWorkflowId(reportId)).signal(assigneesChangedSignal);
    } catch {
      // The report closed meanwhile: it has no open step left to revise.
    }
  }
  return reports.length;
}
