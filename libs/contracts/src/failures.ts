/**
 * The types of the failures activities raise, in one place: workflows and operators match on
 * these, never on a message. All but `webhookAttemptFailed` are permanent: retrying cannot mend
 * them. A report's own refusals travel as the domain's `RefusalCode`s.
 */
export const ACTIVITY_FAILURE = {
  /** The database refused the data for good (SQLSTATE class 22, 23 or 54): activities/src/failures.ts. */
  dataRejected: 'persistence.rejected',
  /** A step asked to be published produces no record (not finished, no decision): a bug, set aside. */
  notPublishable: 'disclosure.not_publishable',
  /** The facts a record names (the project, the deciding user or their organization) are gone. */
  recordIncomplete: 'disclosure.incomplete',
  /** The webhook was deactivated after the delivery was queued: nothing more to try. */
  webhookInactive: 'webhook.inactive',
  /** The receiver did not take a webhook (an error status or no answer): retried with backoff. */
  webhookAttemptFailed: 'webhook.attempt_failed',
} as const;

export type ActivityFailureType = (typeof ACTIVITY_FAILURE)[keyof typeof ACTIVITY_FAILURE];
