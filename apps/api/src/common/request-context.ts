import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';

/** Who is calling and which request this is: what every state change records in the audit log. */
export interface RequestContext {
  readonly actor: Principal;
  readonly requestId: string | null;
}

export type AuthenticatedRequest = Request & { id?: string; principal?: Principal };

export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext => {
  const req = host.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.principal) throw new Error('Ctx used on a route without authentication');
  return { actor: req.principal, requestId: typeof req.id === 'string' ? req.id : null };
});
