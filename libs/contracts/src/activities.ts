/**
 * The activity interface the workflows call. Workflows `import type` it only; the worker binds
 * the injectable implementations from `activities/` to these names.
 */
import type { ProjectRole, ReportState } from '@openccs/domain';
import type { ReportEvent } from './reports';
import type { ProjectSetupResult } from './temporal';

export interface ProjectSetupActivities {
  /** Writes version 1 of every default approval line the project lacks; safe to run twice. */
  seedDefaultApprovalLines(projectId: string): Promise<ProjectSetupResult>;
}

export interface ReportActivities {
  /** User ids of the project's members holding `role` now: the assignees of a step that opens. */
  resolveAssignees(projectId: string, role: ProjectRole): Promise<string[]>;
  /**
   * Writes the state into the read model, and the event that caused it into the audit log, in
   * one transaction; a state no newer than the stored one is ignored (with its event).
   */
  projectReport(state: ReportState, event: ReportEvent): Promise<void>;
}

export type Activities = ProjectSetupActivities & ReportActivities;
