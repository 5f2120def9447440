import type { SystemRole } from '@openccs/domain';

/** The authenticated caller, as loaded fresh from the database on every request. */
export interface Principal {
  readonly id: string;
  readonly username: string;
  readonly systemRole: SystemRole;
  readonly organizationId: string;
  /** Signed in with a one-time password: it may only be changed (auth/decorators.ts). */
  readonly oneTimePassword?: true;
}

export interface AccessTokenClaims {
  readonly sub: string;
  readonly role: SystemRole;
  /** The user's token version when it was issued; a raised version ends the token. */
  readonly ver?: number;
  readonly exp?: number;
}
