import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, Max } from 'class-validator';
import { PROJECT_STATUSES, REPORT_KINDS } from '@openccs/domain';
import { PageQuery } from '../common/pagination';

export class RecordsQuery {
  @ApiPropertyOptional({ description: 'Sequence number after which to start (exclusive).', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a sequence number' })
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class InclusionQuery {
  @ApiProperty({ minimum: 0, description: 'Sequence number of the record.' })
  @Type(() => Number)
  @IsInt({ message: 'seq must be a sequence number' })
  @Min(0)
  seq!: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Size of the tree to prove it in (default: the latest).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  treeSize?: number;
}

export class ConsistencyQuery {
  @ApiProperty({ minimum: 1, description: 'The older tree size.' })
  @Type(() => Number)
  @IsInt({ message: 'from must be a tree size' })
  @Min(1)
  from!: number;

  @ApiPropertyOptional({ minimum: 1, description: 'The newer tree size (default: the latest).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to?: number;
}

export class PublicProjectsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Words in the code, title, agency or location.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: PROJECT_STATUSES })
  @IsOptional()
  @IsIn(PROJECT_STATUSES, { message: `status must be one of ${PROJECT_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'Part of the ordering agency’s name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  agency?: string;

  @ApiPropertyOptional({ enum: REPORT_KINDS, description: 'Projects with disclosed reports of this kind.' })
  @IsOptional()
  @IsIn(REPORT_KINDS, { message: `kind must be one of ${REPORT_KINDS.join(', ')}` })
  kind?: string;
}
