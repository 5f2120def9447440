/**
 * The feedback workflow's contract: one workflow per citizen feedback, its id derived from the
 * feedback's; answers, moderation and the citizen's follow-up are Workflow Updates whose
 * validators run the domain rules (libs/domain feedback.ts), so a refusal is synchronous.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  FeedbackActor,
  FeedbackCategory,
  FeedbackRules,
  FeedbackState,
  ModerationAction,
  ProjectRole,
} from '@openccs/domain';

export const FEEDBACK_WORKFLOW = 'feedbackWorkflow';

export function feedbackWorkflowId(feedbackId: string): string {
  return `feedback:${feedbackId}`;
}

export interface FeedbackWorkflowInput {
  readonly id: string;
  readonly projectId: string;
  readonly category: FeedbackCategory;
  readonly message: string;
  readonly receivedAt: string;
  /** The profile's rules when it was received: the roles that answer it, its deadline, escalation. */
  readonly rules: FeedbackRules & { readonly retentionSeconds: number };
}

export interface AnswerArgs {
  readonly actor: FeedbackActor;
  readonly text: string;
  /** Roles the actor holds on the project now (an escalation of this round may be to one of them). */
  readonly actorRoles: readonly ProjectRole[];
}

export interface ModerateArgs {
  readonly actor: FeedbackActor;
  readonly action: ModerationAction;
  readonly reason: string;
}

export interface FollowUpArgs {
  readonly message: string;
  readonly at: string;
}

export const answerFeedbackUpdate = defineUpdate<FeedbackState, [AnswerArgs]>('answer');
export const moderateFeedbackUpdate = defineUpdate<FeedbackState, [ModerateArgs]>('moderate');
export const followUpFeedbackUpdate = defineUpdate<FeedbackState, [FollowUpArgs]>('followUp');
export const feedbackStateQuery = defineQuery<FeedbackState>('feedbackState');

export interface FeedbackActivities {
  /** User ids holding any of `roles` on the project now. */
  feedbackAssignees(projectId: string, roles: readonly ProjectRole[]): Promise<string[]>;
  /** Writes the state into the read model (a state older than the stored one is ignored). */
  projectFeedback(state: FeedbackState, version: number): Promise<void>;
  /**
   * Appends the public record of a round, once: `answered` (question and answer, after
   * moderation), `overdue` (the deadline passed without a published answer; no text) or
   * `withheld` (moderated as hidden or spam; no text). Returns its position.
   */
  publishFeedback(
    state: FeedbackState,
    round: number,
    event: 'answered' | 'overdue' | 'withheld',
  ): Promise<number>;
  /** Deletes the citizen's contact for good (the retention period after closing has passed). */
  forgetFeedbackContact(feedbackId: string): Promise<void>;
}
