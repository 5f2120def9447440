import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { DomainError } from '@openccs/domain';
import { decoyHash, UsersRepository, verifyPassword } from '@openccs/persistence';
import type { TokenRequest, TokenResponse } from './auth.dto';
import type { AccessTokenClaims } from './principal';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
  ) {}

  async issueToken({ username, password }: TokenRequest): Promise<TokenResponse> {
    const user = await this.users.findForLogin(username);
    // Verify against a decoy when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !ok || !user.active) {
      throw new DomainError('auth.invalid_credentials', 'The username or password is wrong.');
    }
    const claims: AccessTokenClaims = { sub: user.id, role: user.systemRole };
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    return { accessToken: await this.jwt.signAsync(claims, { expiresIn }), tokenType: 'Bearer', expiresIn };
  }
}
