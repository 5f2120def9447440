import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { ORGANIZATION_KINDS, type OrganizationKind } from '@openccs/domain';
import type { OrganizationEntity } from '@openccs/persistence';
import { Rules, SingleLine } from '../common/validation.pipe';

export class CreateOrganizationRequest {
  @ApiProperty({ pattern: '\\S', example: 'Seoul Infrastructure Headquarters', maxLength: 200 })
  @Rules(IsString(), MaxLength(200), Matches(/\S/, { message: 'name must not be blank' }), SingleLine())
  name!: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  @IsIn(ORGANIZATION_KINDS, { message: `kind must be one of ${ORGANIZATION_KINDS.join(', ')}` })
  kind!: OrganizationKind;
}

export class OrganizationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  kind!: OrganizationKind;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static of(row: OrganizationEntity): OrganizationView {
    return { id: row.id, name: row.name, kind: row.kind, createdAt: row.createdAt.toISOString() };
  }
}

export class OrganizationPage {
  @ApiProperty({ type: [OrganizationView] })
  items!: OrganizationView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
