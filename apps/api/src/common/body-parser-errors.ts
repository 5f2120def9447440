import type { NextFunction, Request, Response } from 'express';
import { ProblemException } from './problem';

/**
 * Express error middleware placed right after the body parser: an unreadable or oversized body
 * becomes a problem naming what is wrong (Nest would otherwise turn it into a bare 400).
 */
export function bodyParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const e = err as { type?: unknown; status?: unknown; message?: string };
  if (typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    next(
      new ProblemException(
        e.status === 413 ? 'body_too_large' : e.status === 415 ? 'body_unsupported' : 'malformed_body',
        `The request body could not be read: ${e.message ?? e.type}`,
      ),
    );
    return;
  }
  next(err);
}
