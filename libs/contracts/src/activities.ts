/**
 * The activity interface the workflows call. Workflows `import type` it only; the worker binds
 * the injectable implementations from `activities/` to these names.
 */
import type { NotificationInput, ProjectRole, ReportState } from '@openccs/domain';
import type { ReportEvent } from './reports';
import type { FeedbackActivities } from './feedback';
import type { MembershipChangeInput, ProjectSetupResult } from './temporal';

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
  /**
   * `projectReport` for a local activity, which runs again when the workflow task that ran it is
   * lost (a worker crash before the task completed): returns the state the read model holds for
   * this change. That is `state`, unless an earlier attempt of the same change (same version,
   * action and actor) is stored already — then that attempt's state, which the workflow takes as
   * its own, so that it, the read model, the audit log and the public log tell one story.
   */
  projectReportOnce(state: ReportState, event: ReportEvent): Promise<ReportState>;
  /**
   * Records that the workflow could not carry out `source` (a projection or publication refused
   * for good) and set it aside: readiness degrades and the stuck list shows the report.
   */
  reportProblem(reportId: string, source: string, detail: string): Promise<void>;
  /**
   * Open reports whose open step has the user of a membership change among its assignees (on the
   * change's project, or any). Fails (retryably) until the change has committed.
   */
  reportsAssignedTo(change: MembershipChangeInput): Promise<string[]>;
}

export interface NotifyResult {
  /** Webhook deliveries to start, each in a delivery workflow of its own. */
  readonly deliveryIds: string[];
  readonly retryInitialSeconds: number;
}

export interface NotificationActivities {
  /**
   * Stores in-app notifications (once per key and user) and queues a signed webhook delivery for
   * each receiving organization's webhooks; delivery runs in workflows of its own, so an
   * unreachable receiver never holds up the approval line.
   */
  notify(notifications: NotificationInput[]): Promise<NotifyResult>;
  /** One signed POST to the receiver; throws (to be retried) unless it answers 2xx. */
  deliverWebhook(deliveryId: string): Promise<void>;
  markDeliveryFailed(deliveryId: string, error: string): Promise<void>;
}

export interface DisclosureActivities {
  /** Appends the public record of a finished step to the log, once; returns its sequence number (null if not public). */
  publishStep(state: ReportState, stepKey: string): Promise<number | null>;
}

export type Activities = ProjectSetupActivities &
  FeedbackActivities &
  ReportActivities &
  NotificationActivities &
  DisclosureActivities;
