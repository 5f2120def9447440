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
