/**
 * Turns every error into problem+json. Domain refusals get their status from one exhaustive
 * switch; anything unexpected becomes a generic 500 carrying only the request id.
 */
import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError, type DomainErrorCode } from '@openccs/domain';
import { isDatabaseUnavailable } from '@openccs/persistence';
import { ProblemException, type Problem, type ProblemBody } from './problem';

export function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'auth.invalid_credentials':
    case 'auth.unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'access.forbidden':
      return HttpStatus.FORBIDDEN;
    case 'organization.not_found':
    case 'user.not_found':
    case 'project.not_found':
    case 'member.not_found':
      return HttpStatus.NOT_FOUND;
    case 'user.wrong_password':
      return HttpStatus.FORBIDDEN;
    case 'member.limit_reached':
    case 'user.cannot_change_self':
      return HttpStatus.CONFLICT;
    case 'organization.name_taken':
    case 'user.username_taken':
    case 'project.code_taken':
      return HttpStatus.CONFLICT;
    case 'request.unknown_reference':
    case 'project.agency_not_an_agency':
    case 'member.role_not_allowed':
    case 'idempotency.key_reused':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'approval_line.invalid':
    case 'report.invalid':
      return HttpStatus.BAD_REQUEST;
    case 'report.not_found':
    case 'escalation.not_found':
    case 'notification.not_found':
    case 'webhook.not_found':
    case 'record.not_found':
      return HttpStatus.NOT_FOUND;
    // Refusals of the approval line (libs/domain/src/report.ts): "you may not" …
    case 'decision.not_assignee':
    case 'decision.own_report':
    case 'escalation.not_handler':
    case 'report.not_submitter':
    case 'delegation.not_assignee':
      return HttpStatus.FORBIDDEN;
    // … and "not now".
    case 'report.closed':
    case 'report.not_returned':
    case 'step.not_open':
    case 'decision.already_approved':
    case 'escalation.resolved':
    case 'idempotency.in_progress':
    case 'report.too_large':
      return HttpStatus.CONFLICT;
    case 'delegation.invalid_target':
    case 'escalation.invalid':
    // The read model refused the change for good; the workflow undid it (report.workflow.ts).
    case 'report.unprocessable':
      return HttpStatus.UNPROCESSABLE_ENTITY;
  }
}

function fromHttpException(err: HttpException): ProblemBody {
  if (err instanceof ProblemException) return err.problem;
  const status = err.getStatus();
  const response = err.getResponse();
  // Nest's own exceptions (unknown route, body-parser errors) carry { message } or a string.
  const message =
    typeof response === 'string'
      ? response
      : Array.isArray((response as { message?: unknown }).message)
        ? ((response as { message: string[] }).message.join('; ') ?? err.message)
        : String((response as { message?: unknown }).message ?? err.message);
  return { status, detail: message };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const requestId = typeof req.id === 'string' ? req.id : undefined;

    let body: ProblemBody;
    if (err instanceof DomainError) {
      body = {
        status: statusOf(err.code),
        code: err.code,
        detail: err.message,
        ...(err.fieldErrors
          ? { errors: [...err.fieldErrors] }
          : err.field
            ? { errors: [{ field: err.field, message: err.message }] }
            : {}),
      };
    } else if (err instanceof HttpException) {
      body = fromHttpException(err);
    } else if (isDatabaseUnavailable(err)) {
      // An outage, not a bug: the client may retry (with the same Idempotency-Key).
      res.setHeader('Retry-After', '5');
      body = {
        status: 503,
        code: 'database_unavailable',
        detail: 'The database did not answer. Retry shortly with the same Idempotency-Key.',
      };
    } else {
      this.logger.error({ err, requestId }, 'unhandled error');
      body = {
        status: 500,
        code: 'internal_error',
        detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      };
    }
    const problem: Problem = {
      type: body.type ?? 'about:blank',
      title: body.title ?? STATUS_CODES[body.status] ?? 'Error',
      ...body,
      instance: req.originalUrl?.split('?')[0],
      ...(requestId ? { requestId } : {}),
    };
    if (err instanceof ProblemException)
      for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
