/** RFC 9457 problem details: the one shape of every error the API returns. */
import { HttpException, HttpStatus } from '@nestjs/common';
import type { DomainErrorCode } from '@openccs/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldError {
  @ApiProperty({ example: 'kind', description: 'Path of the offending field in the request body or query.' })
  field!: string;

  @ApiProperty({ example: 'kind must be one of agency, contractor, supervisor, subcontractor' })
  message!: string;
}

export class Problem {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request body is invalid.' })
  detail!: string;

  @ApiPropertyOptional({ example: '/api/v1/organizations' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Machine-readable reason.', example: 'validation_failed' })
  code?: string;

  @ApiPropertyOptional({ description: 'Correlation id of the request, also in the x-request-id header.' })
  requestId?: string;

  @ApiPropertyOptional({ type: [FieldError] })
  errors?: FieldError[];
}

/**
 * Every machine-readable reason a problem can carry: the domain's refusals and errors, and the
 * API's own (its edge, its dependencies). One union, one mapping to HTTP (`statusOf`): a code
 * always answers with the same status, wherever it is raised.
 */
export type ProblemCode =
  | DomainErrorCode
  | 'validation_failed'
  | 'malformed_body'
  | 'body_too_large'
  | 'body_unsupported'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'auth.locked_out'
  | 'csrf_failed'
  | 'file.too_large'
  | 'file.type_not_allowed'
  | 'file.not_found'
  | 'file.withdrawn'
  | 'document.not_found'
  | 'workflow_engine_unavailable'
  | 'file_store_unavailable'
  | 'database_unavailable'
  | 'not_ready'
  | 'degraded'
  | 'internal_error';

export function statusOf(code: ProblemCode): number {
  switch (code) {
    case 'validation_failed':
    case 'malformed_body':
    case 'approval_line.invalid':
    case 'report.invalid':
    case 'request.invalid':
    case 'feedback.challenge_failed':
      return HttpStatus.BAD_REQUEST;
    case 'auth.invalid_credentials':
    case 'auth.unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'access.forbidden':
    case 'auth.password_change_required':
    case 'csrf_failed':
    case 'user.wrong_password':
    // Refusals of the approval line (libs/domain/src/report.ts): "you may not" …
    case 'decision.not_assignee':
    case 'decision.own_report':
    case 'escalation.not_handler':
    case 'report.not_submitter':
    case 'delegation.not_assignee':
    case 'feedback.not_assignee':
      return HttpStatus.FORBIDDEN;
    case 'organization.not_found':
    case 'user.not_found':
    case 'project.not_found':
    case 'agency.not_found':
    case 'member.not_found':
    case 'report.not_found':
    case 'escalation.not_found':
    case 'notification.not_found':
    case 'webhook.not_found':
    case 'record.not_found':
    case 'file.not_found':
    case 'document.not_found':
    case 'feedback.not_found':
      return HttpStatus.NOT_FOUND;
    case 'file.withdrawn':
      return HttpStatus.GONE;
    case 'method_not_allowed':
      return HttpStatus.METHOD_NOT_ALLOWED;
    case 'member.limit_reached':
    case 'user.cannot_change_self':
    case 'organization.name_taken':
    case 'user.username_taken':
    case 'project.code_taken':
    // … and "not now".
    case 'report.closed':
    case 'report.not_returned':
    case 'step.not_open':
    case 'decision.already_approved':
    case 'escalation.resolved':
    case 'idempotency.in_progress':
    case 'report.too_large':
    case 'feedback.closed':
    case 'feedback.not_answered':
    case 'feedback.follow_up_used':
    case 'feedback.not_open':
    case 'feedback.duplicate':
    case 'feedback.too_many_changes':
      return HttpStatus.CONFLICT;
    case 'body_too_large':
    case 'file.too_large':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'body_unsupported':
    case 'file.type_not_allowed':
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case 'request.unknown_reference':
    case 'project.agency_not_an_agency':
    case 'member.role_not_allowed':
    case 'idempotency.key_reused':
    case 'delegation.invalid_target':
    case 'escalation.invalid':
    // The read model refused the change for good; the workflow undid it (report.workflow.ts).
    case 'report.unprocessable':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'rate_limited':
    case 'auth.locked_out':
    case 'feedback.too_many':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'internal_error':
      return HttpStatus.INTERNAL_SERVER_ERROR;
    case 'workflow_engine_unavailable':
    case 'file_store_unavailable':
    case 'database_unavailable':
    case 'not_ready':
    case 'degraded':
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

export type ProblemBody = Omit<Problem, 'type' | 'title'> & Partial<Pick<Problem, 'type' | 'title'>>;

/** The body of a problem with `code`; its status is the code's. */
export function problemOf(code: ProblemCode, detail: string, errors?: readonly FieldError[]): ProblemBody {
  return { status: statusOf(code), code, detail, ...(errors ? { errors: [...errors] } : {}) };
}

/** A problem the API raises itself; its status is its code's (`statusOf`). */
export class ProblemException extends HttpException {
  readonly problem: ProblemBody;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ProblemCode,
    detail: string,
    options: {
      errors?: readonly FieldError[];
      /** Response headers that belong with this problem, e.g. Retry-After. */
      headers?: Readonly<Record<string, string>>;
    } = {},
  ) {
    const problem = problemOf(code, detail, options.errors);
    super(problem, problem.status);
    this.problem = problem;
    this.headers = options.headers ?? {};
  }
}

/** The 400 of a request with bad fields, each named. */
export function invalidRequest(errors: readonly FieldError[], detail?: string): ProblemException {
  return new ProblemException(
    'validation_failed',
    detail ?? 'The request is invalid; see errors for each bad field.',
    { errors },
  );
}

/** The 429 of a client over a limit, telling it when to come back. */
export function rateLimited(
  code: Extract<ProblemCode, 'rate_limited' | 'auth.locked_out' | 'feedback.too_many'>,
  detail: string,
  retryAfterSeconds: number,
): ProblemException {
  return new ProblemException(code, detail, { headers: { 'Retry-After': String(retryAfterSeconds) } });
}
