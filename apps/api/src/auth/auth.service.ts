import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { DomainError } from '@openccs/domain';
import { decoyHash, LoginFailuresRepository, UsersRepository, verifyPassword } from '@openccs/persistence';
import { ProblemException } from '../common/problem';
import type { TokenRequest, TokenResponse } from './auth.dto';
import type { AccessTokenClaims } from './principal';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly failures: LoginFailuresRepository,
    private readonly jwt: JwtService,
  ) {}

  async issueToken({ username, password }: TokenRequest): Promise<TokenResponse> {
    // Checked before the password, so a locked-out name learns nothing, right password or not.
    const lockedFor = await this.failures.lockedFor(username);
    if (lockedFor > 0) {
      throw new ProblemException(
        {
          status: 429,
          code: 'auth.locked_out',
          detail: `Too many failed sign-ins for this username; try again in ${lockedFor} seconds.`,
        },
        { 'Retry-After': String(lockedFor) },
      );
    }
    const user = await this.users.findForLogin(username);
    // Verify against a decoy when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !ok || !user.active) {
      await this.failures.fail(username, this.config.auth.lockoutAttempts, this.config.auth.lockoutSeconds);
      throw new DomainError('auth.invalid_credentials', 'The username or password is wrong.');
    }
    await this.failures.succeed(username);
    const claims: AccessTokenClaims = { sub: user.id, role: user.systemRole };
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    return { accessToken: await this.jwt.signAsync(claims, { expiresIn }), tokenType: 'Bearer', expiresIn };
  }
}
