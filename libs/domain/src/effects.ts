/**
 * What a change to a report sets in motion, as one pure function of the states before and after
 * it: the step to open, the finished steps to publish, the people to tell. The workflow executes
 * exactly this and decides nothing of its own, so no path (a decision, an escalation handler's
 * action, a deadline, a membership change) can forget an effect or add one.
 */
import type { Fired } from './escalation';
import { notificationsFor, type NotificationInput } from './notifications';
import type { ReportState, StepState } from './report';

export interface Effects {
  /**
   * The step to open now with its role's members (the workflow resolves them, then calls
   * `openStep` and asks again), or `null`.
   */
  readonly opens: number | null;
  /** Keys of the steps this change finished, in line order: each becomes a public record if public. */
  readonly publish: readonly string[];
  /** Whom to tell, once the step to open is open. */
  readonly notify: readonly NotificationInput[];
}

/** Whether a step was decided: approved, rejected or returned (not skipped, waiting or open). */
export function isFinished(step: Pick<StepState, 'status'>): boolean {
  return step.status === 'approved' || step.status === 'rejected' || step.status === 'returned';
}

/**
 * The step a report in review waits to open: the first waiting step once none is open (after a
 * submission, a resubmission, or an approval that finished a step before the last). `null` when a
 * step is open or the review is over.
 */
export function stepToOpen(state: ReportState): number | null {
  if (state.status !== 'in_review' || state.currentStep !== null) return null;
  const index = state.steps.findIndex((s) => s.status === 'waiting');
  return index < 0 ? null : index;
}

/**
 * The effects of the change from `before` (null for a submission) to `after`; `fired` is what
 * the clock or a membership change fired on the way (reminders, escalations). A step finished by
 * this change was open before it, in the same revision.
 */
export function effectsOf(before: ReportState | null, after: ReportState, fired: readonly Fired[]): Effects {
  const opens = stepToOpen(after);
  const publish =
    before && before.revision === after.revision
      ? after.steps
          .filter((step, i) => isFinished(step) && before.steps[i]?.status === 'active')
          .map((step) => step.key)
      : [];
  return { opens, publish, notify: opens === null ? notificationsFor(before, after, fired) : [] };
}
