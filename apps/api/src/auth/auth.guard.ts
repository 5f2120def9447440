/**
 * The global guard: every route needs a valid bearer token unless marked @Public(), and routes
 * marked @RequireSystemRole() need that role. The user is re-read on every request, so a
 * deactivated account, a changed password or a changed role takes effect at once, not when the
 * token expires (the token carries the user's token version). Console pages sign in by their
 * session cookie instead, never by a token, and their state-changing requests need the session's
 * CSRF token (console/session.ts).
 */
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError, type SystemRole } from '@openccs/domain';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { ConsoleSessionsRepository, UsersRepository, type UserEntity } from '@openccs/persistence';
import { ProblemException } from '../common/problem';
import type { AuthenticatedRequest } from '../common/request-context';
import {
  CONSOLE_ROUTE,
  cookieOf,
  CSRF_FIELD,
  SESSION_COOKIE,
  tokensMatch,
  type ConsolePageOptions,
} from '../console/session';
import { ONE_TIME_PASSWORD_ROUTE, PUBLIC_ROUTE, SYSTEM_ROLES_KEY, TOKEN_OR_SESSION } from './decorators';
import type { AccessTokenClaims } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
    private readonly sessions: ConsoleSessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const page = this.reflector.getAllAndOverride<ConsolePageOptions | undefined>(CONSOLE_ROUTE, targets);
    if (page && !page.signedIn) return true;
    const bySession =
      page ??
      (this.reflector.getAllAndOverride<boolean>(TOKEN_OR_SESSION, targets) && !req.headers.authorization
        ? { signedIn: true, crossOrigin: true }
        : undefined);
    const user = bySession ? await this.signInBySession(req, bySession) : await this.signInByToken(req);
    req.principal = principalOf(user);
    if (user.passwordOneTime && !this.reflector.getAllAndOverride<boolean>(ONE_TIME_PASSWORD_ROUTE, targets))
      throw oneTimePasswordRefusal(user.id);

    const roles = this.reflector.getAllAndOverride<SystemRole[] | undefined>(SYSTEM_ROLES_KEY, targets);
    if (roles && !roles.includes(user.systemRole)) {
      throw new DomainError('access.forbidden', `This action requires the ${roles.join(' or ')} role.`);
    }
    return true;
  }

  /** The JSON API: a bearer token this API issued, of a user still active at the same version. */
  private async signInByToken(req: AuthenticatedRequest): Promise<UserEntity> {
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
    return user;
  }

  /** A console page: the session cookie, and on a state-changing request the form's CSRF token. */
  private async signInBySession(req: AuthenticatedRequest, page: ConsolePageOptions): Promise<UserEntity> {
    const token = cookieOf(req, SESSION_COOKIE, this.config.publicApi.publicUrl.startsWith('https:'));
    const session = token ? await this.sessions.resume(token, this.config.auth.sessionIdleSeconds) : null;
    const user = session ? await this.users.findById(session.userId) : null;
    if (!token || !session || !user) {
      throw new ProblemException(
        'auth.unauthenticated',
        page.crossOrigin
          ? 'A bearer token from POST /api/v1/auth/token, or a console session, is required.'
          : 'Sign in to the console.',
      );
    }
    // A form with files is checked by its reader (console/multipart.ts), before it reads a file;
    // only the pages that take one accept one.
    const deferred = page.multipart === true && req.is('multipart/form-data') !== false;
    if (!['GET', 'HEAD'].includes(req.method) && !deferred && page.crossOrigin !== true) {
      const given = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (!tokensMatch(given, session.csrfToken)) {
        throw new ProblemException(
          'csrf_failed',
          'The form was not sent from this console session; reload it and try again.',
        );
      }
    }
    req.consoleSession = { token, csrfToken: session.csrfToken };
    return user;
  }
}

function principalOf(user: UserEntity): AuthenticatedRequest['principal'] & object {
  return {
    id: user.id,
    username: user.username,
    systemRole: user.systemRole,
    organizationId: user.organizationId,
    ...(user.passwordOneTime ? { oneTimePassword: true } : {}),
  };
}

/** What a holder of a one-time password is told wherever they try to use it for anything else. */
export function oneTimePasswordRefusal(userId: string): DomainError {
  return new DomainError(
    'auth.password_change_required',
    `This password was set by an operator and serves only to choose your own: POST /api/v1/users/${userId}/password with {"currentPassword", "newPassword"}, then sign in again.`,
  );
}
