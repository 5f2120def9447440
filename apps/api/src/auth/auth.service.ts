import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { DomainError } from '@openccs/domain';
import {
  decoyHash,
  LoginAttemptsRepository,
  UsersRepository,
  verifyPassword,
  type UserEntity,
} from '@openccs/persistence';
import { rateLimited } from '../common/problem';
import type { TokenRequest, TokenResponse } from './auth.dto';
import type { AccessTokenClaims } from './principal';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly attempts: LoginAttemptsRepository,
    private readonly jwt: JwtService,
  ) {}

  /**
   * Issues a token for a correct username and password. `client` is who is asking (rate limits
   * and lock-outs count per username and client, docs/security.md): the attempt is counted
   * before the password is checked, so a burst of guesses gets no more checks than the limit.
   * A client spraying many usernames meets its own limit first (LOGIN_RATE_LIMIT): every attempt
   * costs a password hash, and only a successful one is given back. Both counts live in
   * PostgreSQL, so they hold for every API process together (docs/operations.md).
   */
  async issueToken(credentials: TokenRequest, client: string): Promise<TokenResponse> {
    const user = await this.authenticate(credentials, client);
    const claims: AccessTokenClaims = { sub: user.id, role: user.systemRole, ver: user.tokenVersion };
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    return { accessToken: await this.jwt.signAsync(claims, { expiresIn }), tokenType: 'Bearer', expiresIn };
  }

  /**
   * The active user with this username and password, under the rate limit and lock-out: what both
   * a token (the JSON API) and a session (the console) are issued on.
   */
  async authenticate({ username, password }: TokenRequest, client: string): Promise<UserEntity> {
    const { lockoutAttempts, lockoutSeconds, clientAttemptsPerMinute } = this.config.auth;
    const wait = await this.attempts.takeForClient(client, clientAttemptsPerMinute);
    if (wait !== undefined) {
      throw rateLimited(
        'rate_limited',
        `More than ${clientAttemptsPerMinute} sign-ins a minute that did not succeed from this client; retry in ${wait} s.`,
        wait,
      );
    }
    const attempt = await this.attempts.begin(username, client, lockoutAttempts, lockoutSeconds);
    if (attempt.kind === 'locked') {
      // A locked-out pair learns nothing, right password or not.
      throw rateLimited(
        'auth.locked_out',
        `Too many failed sign-ins for this username from this address; try again in ${attempt.retryAfterSeconds} seconds.`,
        attempt.retryAfterSeconds,
      );
    }
    const user = await this.users.findForLogin(username);
    // Verify against a decoy when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !ok || !user.active) {
      await this.attempts.fail(username, client, lockoutAttempts, lockoutSeconds);
      throw new DomainError('auth.invalid_credentials', 'The username or password is wrong.');
    }
    await this.attempts.succeed(username, client);
    await this.attempts.refundClient(client);
    return user;
  }
}
