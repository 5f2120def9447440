/**
 * Refusals the rules can give, as string codes. The API maps each code to an HTTP status in one
 * exhaustive switch; activities map them to non-retryable failures.
 */
import type { FeedbackRefusalCode } from './feedback';
import type { RefusalCode } from './report';

export type DomainErrorCode =
  | RefusalCode
  | FeedbackRefusalCode
  | 'feedback.not_found'
  | 'feedback.duplicate'
  | 'feedback.too_many'
  | 'feedback.challenge_failed'
  | 'auth.invalid_credentials'
  | 'auth.unauthenticated'
  | 'auth.password_change_required'
  | 'access.forbidden'
  | 'request.unknown_reference'
  | 'request.invalid'
  | 'organization.not_found'
  | 'organization.name_taken'
  | 'user.not_found'
  | 'user.username_taken'
  | 'project.not_found'
  | 'agency.not_found'
  | 'project.code_taken'
  | 'project.agency_not_an_agency'
  | 'member.role_not_allowed'
  | 'member.limit_reached'
  | 'member.not_found'
  | 'user.cannot_change_self'
  | 'user.wrong_password'
  | 'approval_line.invalid'
  | 'report.not_found'
  | 'report.invalid'
  | 'idempotency.key_reused'
  | 'idempotency.in_progress'
  | 'notification.not_found'
  | 'webhook.not_found'
  | 'record.not_found';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The request field the refusal is about, when there is one. */
    readonly field?: string,
    /** Several fields at once, for validation that the DTO's decorators cannot express. */
    readonly fieldErrors?: readonly { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
