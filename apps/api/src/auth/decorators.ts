import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { SystemRole } from '@openccs/domain';
import { Problem } from '../common/problem';

export const PUBLIC_ROUTE = 'openccs:public';
export const SYSTEM_ROLES_KEY = 'openccs:systemRoles';
export const TOKEN_OR_SESSION = 'openccs:tokenOrSession';

export const ONE_TIME_PASSWORD_ROUTE = 'openccs:oneTimePassword';

/**
 * The one route a caller signed in with a one-time password (an operator's reset) may use:
 * changing it. Every other route answers 403 `auth.password_change_required`.
 */
export const AcceptsOneTimePassword = () => SetMetadata(ONE_TIME_PASSWORD_ROUTE, true);

/** No token needed: the token endpoint, health checks, the public API. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only callers whose system role is one of `roles`; others get 403. */
export const RequireSystemRole = (...roles: SystemRole[]) =>
  applyDecorators(
    SetMetadata(SYSTEM_ROLES_KEY, roles),
    ApiForbiddenResponse({ type: Problem, description: `Only ${roles.join(' or ')} may call this.` }),
  );

/** Any authenticated caller; documents the bearer scheme and the 401. */
export const Authenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: Problem, description: 'Missing or invalid token.' }),
  );

/**
 * A bearer token, or without one the console's session cookie: for a JSON route that a browser
 * app on another origin calls with credentials (the Temporal UI's codec calls, docs/operations.md).
 */
export const TokenOrConsoleSession = () => SetMetadata(TOKEN_OR_SESSION, true);
