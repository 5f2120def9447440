/**
 * What the API, the worker and the workflows share about Temporal: task queue default,
 * workflow ids, workflow names and search attributes. Imported everywhere, never retyped.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Default task queue; deployments may override it with TEMPORAL_TASK_QUEUE. */
export const DEFAULT_TASK_QUEUE = 'openccs';

/** Search attributes kept current on report workflows, registered on the dev server at start. */
export const SEARCH_ATTRIBUTES = {
  projectId: defineSearchAttributeKey('OpenccsProjectId', SearchAttributeType.KEYWORD),
  reportKind: defineSearchAttributeKey('OpenccsReportKind', SearchAttributeType.KEYWORD),
  reportStatus: defineSearchAttributeKey('OpenccsReportStatus', SearchAttributeType.KEYWORD),
  currentStep: defineSearchAttributeKey('OpenccsCurrentStep', SearchAttributeType.KEYWORD),
  assignees: defineSearchAttributeKey('OpenccsAssignees', SearchAttributeType.KEYWORD_LIST),
} as const;

/** The workflow that provisions a newly created project (its default approval lines). */
export const PROJECT_SETUP_WORKFLOW = 'projectSetupWorkflow';

export function projectSetupWorkflowId(projectId: string): string {
  return `project-setup:${projectId}`;
}

export interface ProjectSetupInput {
  readonly projectId: string;
}

export interface ProjectSetupResult {
  readonly approvalLinesCreated: number;
}

/**
 * The workflow that tells a membership change to the reports it touches: it finds the open
 * reports where the user is an assignee and signals each to re-check its assignees. Started in
 * the transaction that changes the membership, so no change goes untold.
 */
export const MEMBERSHIP_CHANGE_WORKFLOW = 'membershipChangeWorkflow';

export function membershipChangeWorkflowId(changeId: string): string {
  return `membership-change:${changeId}`;
}

export interface MembershipChangeInput {
  /** The audit event recording the change: the workflow waits until it is committed. */
  readonly auditEventId: string;
  readonly userId: string;
  /** The project whose membership changed; `null` when the account changed (deactivation). */
  readonly projectId: string | null;
}
