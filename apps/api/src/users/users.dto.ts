import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { SYSTEM_ROLES, type SystemRole } from '@openccs/domain';
import type { UserEntity } from '@openccs/persistence';
import { Optional, Rules, SingleLine } from '../common/validation.pipe';

export class CreateUserRequest {
  @ApiProperty({ example: 'kim.minjun', pattern: '^[A-Za-z0-9._-]{3,64}$' })
  @Rules(
    IsString(),
    Matches(/^[A-Za-z0-9._-]{3,64}$/, {
      message: 'username must be 3 to 64 letters, digits, dots, dashes or underscores',
    }),
  )
  username!: string;

  @ApiProperty({ minLength: 12, maxLength: 1024, writeOnly: true })
  @Rules(
    IsString(),
    MinLength(12, { message: 'password must be at least 12 characters long' }),
    MaxLength(1024),
  )
  password!: string;

  @ApiProperty({ pattern: '\\S', maxLength: 200, example: 'Kim Min-jun' })
  @Rules(
    IsString(),
    MaxLength(200),
    Matches(/\S/, { message: 'displayName must not be blank' }),
    SingleLine(),
  )
  displayName!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @ApiPropertyOptional({ enum: SYSTEM_ROLES, default: 'staff' })
  @Optional()
  @IsIn(SYSTEM_ROLES, { message: `systemRole must be one of ${SYSTEM_ROLES.join(', ')}` })
  systemRole?: SystemRole;
}

export class ChangePasswordRequest {
  @ApiPropertyOptional({
    maxLength: 1024,
    writeOnly: true,
    description: 'Your current password: required to change your own, not to reset someone else’s.',
  })
  @Optional()
  @Rules(IsString(), MaxLength(1024))
  currentPassword?: string;

  @ApiProperty({ minLength: 12, maxLength: 1024, writeOnly: true })
  @Rules(
    IsString(),
    MinLength(12, { message: 'newPassword must be at least 12 characters long' }),
    MaxLength(1024),
  )
  newPassword!: string;
}

/** A user as the API shows it: never the password or its hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ enum: SYSTEM_ROLES })
  systemRole!: SystemRole;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static of(row: UserEntity): UserView {
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      organizationId: row.organizationId,
      systemRole: row.systemRole,
      active: row.active,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items!: UserView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
