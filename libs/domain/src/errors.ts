/**
 * Refusals the rules can give, as string codes. The API maps each code to an HTTP status in one
 * exhaustive switch; activities map them to non-retryable failures.
 */
export type DomainErrorCode =
  | 'auth.invalid_credentials'
  | 'auth.unauthenticated'
  | 'access.forbidden'
  | 'request.unknown_reference'
  | 'organization.not_found'
  | 'organization.name_taken'
  | 'user.not_found'
  | 'user.username_taken'
  | 'project.not_found'
  | 'project.code_taken'
  | 'project.agency_not_an_agency'
  | 'member.role_not_allowed';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The request field the refusal is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
