import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';

/** Who is calling and which request this is: what every state change records in the audit log. */
export interface RequestContext {
  readonly actor: Principal;
  /** For the audit log and correlation only: the client may choose it (x-request-id). */
  readonly requestId: string | null;
  /**
   * What a workflow deduplicates this request's command by. Never a client value alone: the
   * caller's Idempotency-Key bound to the caller, the operation and the body (common/idempotency.ts),
   * or, without a key, an id the server makes for this request.
   */
  readonly requestKey: string;
  /** Set with an Idempotency-Key: a retry of the same request makes the same ids. */
  readonly idempotent: boolean;
}

export type AuthenticatedRequest = Request & {
  id?: string;
  principal?: Principal;
  /** Set by the idempotency interceptor when the request carries an Idempotency-Key. */
  requestKey?: string;
  /** On console pages: the session's cookie token and its CSRF token. */
  consoleSession?: { readonly token: string; readonly csrfToken: string };
};

export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext => {
  const req = host.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.principal) throw new Error('Ctx used on a route without authentication');
  return {
    actor: req.principal,
    requestId: typeof req.id === 'string' ? req.id : null,
    requestKey: req.requestKey ?? `r:${randomUUID()}`,
    idempotent: req.requestKey !== undefined,
  };
});
