/**
 * Errors on console pages become pages, not problem+json: signed out → the sign-in page (303),
 * anything else → a page that says what went wrong, in the page's language, with the status the
 * JSON API would give.
 */
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { problemBodyOf } from '../common/problem.filter';
import type { AuthenticatedRequest } from '../common/request-context';
import { ConsoleFrames } from './console-frame';
import { errorPage, type Refusal } from './views';

export interface ConsoleRefusal extends Refusal {
  readonly status: number;
}

const logger = new Logger('ConsoleFilter');

/** What a refusal or error says, as a console page shows it. */
export function refusalOf(err: unknown, requestId?: string): ConsoleRefusal {
  const body = problemBodyOf(err, requestId, logger);
  return { status: body.status, code: body.code, detail: body.detail, errors: body.errors ?? [] };
}

@Catch()
export class ConsoleFilter implements ExceptionFilter {
  constructor(private readonly frames: ConsoleFrames) {}

  async catch(err: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    const refusal = refusalOf(err, typeof req.id === 'string' ? req.id : undefined);
    if (refusal.code === 'auth.unauthenticated') {
      // Back to where they were after signing in, in the language they asked for.
      const lang =
        typeof req.query.lang === 'string' && /^[a-z]{2,3}$/.test(req.query.lang) ? req.query.lang : '';
      const query = new URLSearchParams({
        ...(req.method === 'GET' ? { next: req.originalUrl } : {}),
        ...(lang ? { lang } : {}),
      }).toString();
      return this.frames.redirect(res, `/console/login${query ? `?${query}` : ''}`);
    }
    // When the page's header cannot be built (the database is down), the page goes without it.
    const frame = await this.frames
      .frame(req, res)
      .catch(() => ({ t: this.frames.translator(req, res), path: req.originalUrl }));
    this.frames.send(
      res,
      frame,
      frame.t.t('console.error'),
      errorPage(frame, refusal.status, refusal),
      refusal.status,
    );
  }
}
