import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, MaxLength, Min, Max, ValidateBy } from 'class-validator';
import { FLAG_CODES } from '@openccs/disclosure';
import { KIND_KEY, PROJECT_STATUSES } from '@openccs/domain';
import { PageQuery } from '../common/pagination';
import type { Profile } from '@openccs/profile';
import type { FieldError } from '../common/problem';
import { kindRule, Optional, Rules } from '../common/validation.pipe';
import { WholeNumber } from '../common/whole-number';

/** Log positions are bigint in the database; past JavaScript's safe integers a number is not exact. */
const MAX_POSITION = Number.MAX_SAFE_INTEGER;

export class RecordsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Sequence number after which to start (exclusive); the same as `cursor`.',
    minimum: 0,
    maximum: MAX_POSITION,
  })
  @Optional()
  @WholeNumber()
  @Rules(IsInt({ message: 'after must be a sequence number' }), Min(0), Max(MAX_POSITION))
  after?: number;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page (the list contract of every OpenCCS list).',
    pattern: '^[0-9]{1,16}$',
  })
  @Optional()
  @Matches(/^[0-9]{1,16}$/, { message: 'cursor is not one this API issued' })
  @ValidateBy({
    name: 'notBoth',
    validator: {
      validate: (_v: unknown, args) => (args?.object as RecordsQuery).after === undefined,
      defaultMessage: () => 'give either after or cursor, not both',
    },
  })
  cursor?: string;

  /** Where the page starts: `after`, or the cursor a previous page gave. */
  static start(query: RecordsQuery): number | undefined {
    return query.after ?? (query.cursor !== undefined ? Number(query.cursor) : undefined);
  }

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @Optional()
  @WholeNumber()
  @Rules(IsInt(), Min(1), Max(1000))
  limit?: number;
}

export class InclusionQuery {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_POSITION,
    description: 'Sequence number of the record.',
  })
  @WholeNumber()
  @Rules(IsInt({ message: 'seq must be a sequence number' }), Min(0), Max(MAX_POSITION))
  seq!: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_POSITION,
    description: 'Size of the tree to prove it in (default: the latest).',
  })
  @Optional()
  @WholeNumber()
  @Rules(IsInt(), Min(1), Max(MAX_POSITION))
  treeSize?: number;
}

export class ConsistencyQuery {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_POSITION, description: 'The older tree size.' })
  @WholeNumber()
  @Rules(IsInt({ message: 'from must be a tree size' }), Min(1), Max(MAX_POSITION))
  from!: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_POSITION,
    description: 'The newer tree size (default: the latest).',
  })
  @Optional()
  @WholeNumber()
  @Rules(IsInt(), Min(1), Max(MAX_POSITION))
  to?: number;
}

export class PublicProjectsQuery extends PageQuery {
  static profileRules(value: Record<string, unknown>, profile: Profile): FieldError[] {
    return kindRule('kind', value.kind, profile);
  }

  @ApiPropertyOptional({ maxLength: 200, description: 'Words in the code, title, agency or location.' })
  @Optional()
  @Rules(IsString(), MaxLength(200))
  q?: string;

  @ApiPropertyOptional({ enum: PROJECT_STATUSES })
  @Optional()
  @IsIn(PROJECT_STATUSES, { message: `status must be one of ${PROJECT_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Part of the ordering agency’s name.' })
  @Optional()
  @Rules(IsString(), MaxLength(200))
  agency?: string;

  @ApiPropertyOptional({
    pattern: KIND_KEY.source,
    description:
      'Projects with disclosed reports of this kind (one of the profile’s, GET /public/v1/profile).',
  })
  @Optional()
  @Matches(KIND_KEY, { message: 'kind must be the key of one of the profile’s report kinds' })
  kind?: string;
}

export class FlagsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['raised', 'outweighed'],
    description: 'raised: holds now; outweighed: held, and later records outweighed it.',
  })
  @Optional()
  @IsIn(['raised', 'outweighed'], { message: 'status must be raised or outweighed' })
  status?: 'raised' | 'outweighed';

  @ApiPropertyOptional({ enum: FLAG_CODES })
  @Optional()
  @IsIn(FLAG_CODES, { message: `code must be one of ${FLAG_CODES.join(', ')}` })
  code?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'Only the flags of this project (its code).' })
  @Optional()
  @Rules(IsString(), MaxLength(64))
  project?: string;
}
