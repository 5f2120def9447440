/**
 * The Idempotency-Key header on state-changing POSTs: a retry with the same key and body gets
 * the first response and does nothing twice; the same key with another body is refused (422);
 * a retry while the first request still runs is told so (409).
 */
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { from, lastValueFrom, of, type Observable } from 'rxjs';
import canonicalize from 'canonicalize';
import { DomainError } from '@openccs/domain';
import { IdempotencyRepository } from '@openccs/persistence';
import { invalidRequest } from './problem';
import type { AuthenticatedRequest } from './request-context';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,200}$/;

/** How the header is documented on every authenticated POST (the interceptor is global). */
export const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A retry with the same key and body returns the first result and does nothing twice.',
  schema: { type: 'string', pattern: KEY.source },
} as const;

/**
 * The workflow's request key for a request with an Idempotency-Key: the key bound to who sent it,
 * to which operation and to which body. A retry of the same request gets the same key; another
 * user, another operation or another body never does, even once a failed attempt released the key.
 */
export function scopedRequestKey(
  userId: string,
  method: string,
  path: string,
  key: string,
  bodyHash: string,
): string {
  // A JSON array: no part can pass for another, whatever it contains.
  const digest = createHash('sha256')
    .update(JSON.stringify([userId, method, path, key, bodyHash]))
    .digest('base64url');
  return `k:${digest}`;
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly keys: IdempotencyRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (req.method !== 'POST' || key === undefined || !req.principal) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw invalidRequest(
        [{ field: 'Idempotency-Key', message: 'must be 1 to 200 printable ASCII characters' }],
        'Idempotency-Key must be 1 to 200 printable ASCII characters.',
      );
    }
    // An upload is idempotent by nature (the same bytes are the same file), and its body is a
    // stream the key could not be bound to.
    if (req.is('multipart/*')) return next.handle();
    return from(this.handle(context, next, req.principal.id, key));
  }

  private async handle(
    context: ExecutionContext,
    next: CallHandler,
    userId: string,
    key: string,
  ): Promise<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    // Routes match case-insensitively and with a trailing slash: one operation, one path.
    const path = (req.originalUrl.split('?')[0] ?? req.originalUrl).toLowerCase().replace(/\/+$/, '');
    const hash = createHash('sha256')
      .update(canonicalize(req.body ?? null) ?? '')
      .digest('hex');
    req.requestKey = scopedRequestKey(userId, req.method, path, key, hash);
    const claim = await this.keys.claim(userId, key, req.method, path, hash);
    switch (claim.kind) {
      case 'mismatch':
        throw new DomainError(
          'idempotency.key_reused',
          'This Idempotency-Key was used for a different request; use a new key for a new request.',
        );
      case 'in_progress':
        throw new DomainError(
          'idempotency.in_progress',
          'A request with this Idempotency-Key is still running; retry shortly.',
        );
      case 'replay':
        res.status(claim.status).setHeader('idempotent-replayed', 'true');
        return lastValueFrom(of(claim.body));
      case 'claimed':
        try {
          const body = await lastValueFrom(next.handle());
          await this.keys.complete(userId, key, res.statusCode, body);
          return body;
        } catch (err) {
          // It failed and changed nothing (errors never leave partial changes): a retry may run again.
          await this.keys.release(userId, key);
          throw err;
        }
    }
  }
}
