/**
 * Turns every error into problem+json. A domain refusal or error gets its status from its code
 * (`statusOf`, the one mapping); anything unexpected becomes a generic 500 carrying only the
 * request id.
 */
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { LogKeyUnavailableError } from '@openccs/disclosure';
import { DomainError } from '@openccs/domain';
import { isDatabaseUnavailable } from '@openccs/persistence';
import { problemOf, ProblemException, type Problem, type ProblemBody } from './problem';

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

/**
 * The problem an error is: a domain refusal by its code, an HTTP exception as it says, an outage
 * as one; anything else is logged and becomes a 500 that carries only the request id. The JSON
 * API sends it as problem+json, the console as a page.
 */
export function problemBodyOf(err: unknown, requestId: string | undefined, logger: Logger): ProblemBody {
  if (err instanceof DomainError) {
    return problemOf(
      err.code,
      err.message,
      err.fieldErrors ?? (err.field ? [{ field: err.field, message: err.message }] : undefined),
    );
  }
  if (err instanceof HttpException) return fromHttpException(err);
  // A log key rotation this process has not been given the key of: the change was not made.
  if (err instanceof LogKeyUnavailableError)
    return problemOf('not_ready', `Not ready to publish, nothing was changed: ${err.message}`);
  // An outage, not a bug: the client may retry (with the same Idempotency-Key).
  if (isDatabaseUnavailable(err)) {
    return problemOf(
      'database_unavailable',
      'The database did not answer. Retry shortly with the same Idempotency-Key.',
    );
  }
  logger.error({ err, requestId }, 'unhandled error');
  return problemOf('internal_error', 'An unexpected error occurred. Quote the request id when reporting it.');
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const requestId = typeof req.id === 'string' ? req.id : undefined;

    const body = problemBodyOf(err, requestId, this.logger);
    if (body.code === 'database_unavailable') res.setHeader('Retry-After', '5');
    if (err instanceof LogKeyUnavailableError) res.setHeader('Retry-After', '30');
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
