/**
 * The global guard: every route needs a valid bearer token unless marked @Public(), and routes
 * marked @RequireSystemRole() need that role. The user is re-read on every request, so a
 * deactivated account, a changed password or a changed role takes effect at once, not when the
 * token expires (the token carries the user's token version).
 */
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError, type SystemRole } from '@openccs/domain';
import { UsersRepository } from '@openccs/persistence';
import type { AuthenticatedRequest } from '../common/request-context';
import { PUBLIC_ROUTE, SYSTEM_ROLES_KEY } from './decorators';
import type { AccessTokenClaims } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError(
        'auth.unauthenticated',
        'A bearer token from POST /api/v1/auth/token is required.',
      );
    }
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw new DomainError('auth.unauthenticated', 'The access token is invalid or has expired.');
    }
    // A token that never expires is not one this API issued: refuse it even when the signature holds.
    if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string')
      throw new DomainError('auth.unauthenticated', 'The access token is invalid or has expired.');
    const user = UUID.test(claims.sub) ? await this.users.findById(claims.sub) : null;
    if (!user || !user.active)
      throw new DomainError('auth.unauthenticated', 'The account behind this token is not active.');
    if ((claims.ver ?? 0) !== user.tokenVersion)
      throw new DomainError(
        'auth.unauthenticated',
        'The access token was ended by a password change or deactivation; sign in again.',
      );
    req.principal = {
      id: user.id,
      username: user.username,
      systemRole: user.systemRole,
      organizationId: user.organizationId,
    };

    const roles = this.reflector.getAllAndOverride<SystemRole[] | undefined>(SYSTEM_ROLES_KEY, targets);
    if (roles && !roles.includes(user.systemRole)) {
      throw new DomainError('access.forbidden', `This action requires the ${roles.join(' or ')} role.`);
    }
    return true;
  }
}
