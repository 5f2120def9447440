import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ClientKey } from '../common/client-address';
import { Problem } from '../common/problem';
import { TokenRequest, TokenResponse } from './auth.dto';
import { AuthService } from './auth.service';
import { Public } from './decorators';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('auth')
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ type: Problem, description: 'Wrong username or password.' })
  @ApiTooManyRequestsResponse({
    type: Problem,
    description:
      'Too many failed sign-ins for this username from this client; Retry-After says when to try again.',
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } },
  })
  token(@Body() body: TokenRequest, @ClientKey() client: string): Promise<TokenResponse> {
    return this.auth.issueToken(body, client);
  }
}
