import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Rules } from '../common/validation.pipe';

export class TokenRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'admin' })
  @Rules(IsString(), MinLength(1), MaxLength(100))
  username!: string;

  @ApiProperty({ minLength: 1, maxLength: 1024, example: 'correct horse battery staple' })
  @Rules(IsString(), MinLength(1), MaxLength(1024))
  password!: string;
}

export class TokenResponse {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the token expires.', example: 3600 })
  expiresIn!: number;
}
