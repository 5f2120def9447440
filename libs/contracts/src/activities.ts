/**
 * The activity interface the workflows call. Workflows `import type` it only; the worker binds
 * the injectable implementations from `activities/` to these names.
 */
import type { ProjectSetupResult } from './temporal';

export interface ProjectSetupActivities {
  /** Writes version 1 of every default approval line the project lacks; safe to run twice. */
  seedDefaultApprovalLines(projectId: string): Promise<ProjectSetupResult>;
}

export type Activities = ProjectSetupActivities;
