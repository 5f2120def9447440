import { ApiProperty, ApiPropertyOptional, OmitType, PartialType, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type, plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsNumber,
  IsObject,
  Max,
  IsISO8601,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  MAX_TITLE_LENGTH,
  PROJECT_ROLES,
  PROJECT_STATUSES,
  type ProjectRole,
  type ProjectStatus,
} from '@openccs/domain';
import type { ProjectEntity, ProjectMemberEntity } from '@openccs/persistence';
import {
  IsAmount,
  IsCurrency,
  MAX_AMOUNT,
  Optional,
  Rules,
  SingleLine,
  Title,
} from '../common/validation.pipe';

/** A date-only string not before the object's `other` date (both YYYY-MM-DD, so strings compare). */
function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBefore',
      validator: {
        validate: (value: unknown, args) => {
          const start = (args?.object as Record<string, unknown>)[other];
          return typeof value !== 'string' || typeof start !== 'string' || value >= start;
        },
        defaultMessage: (args) => `${args?.property} must not be before ${other}`,
      },
    },
    options,
  );
}

/**
 * One WGS 84 coordinate, within ±`limit` degrees, given only with the other one: a lone latitude
 * cannot be put on a map.
 */
function Coordinate(name: 'lat' | 'lon', limit: number, other: 'lat' | 'lon'): PropertyDecorator {
  return Rules(
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${name} must be a number` }),
    Min(-limit),
    Max(limit),
    ValidateBy({
      name: 'givenTogether',
      validator: {
        validate: (_v, args) => (args?.object as Record<string, unknown>)[other] !== undefined,
        defaultMessage: () => 'give lat and lon together',
      },
    }),
  );
}

export class Money {
  @ApiProperty({ example: 4820000000, minimum: 0, maximum: MAX_AMOUNT })
  @Rules(IsAmount(), Min(0))
  value!: number;

  @ApiProperty({ example: 'KRW', description: 'ISO 4217 code (the profile’s currency is the usual one).' })
  @IsCurrency()
  currency!: string;
}

/** Where a project is: an address, and WGS 84 coordinates (both or neither) to put it on a map. */
export class ProjectLocation {
  @ApiPropertyOptional({ example: 'Jongno-gu, Seoul', maxLength: 300 })
  @Optional()
  @Rules(IsString(), MaxLength(300), Matches(/\S/, { message: 'address must not be blank' }), SingleLine())
  address?: string;

  @ApiPropertyOptional({ example: 37.5696, minimum: -90, maximum: 90, description: 'Latitude, WGS 84.' })
  @Optional()
  @Coordinate('lat', 90, 'lon')
  lat?: number;

  @ApiPropertyOptional({ example: 126.9784, minimum: -180, maximum: 180, description: 'Longitude, WGS 84.' })
  @Optional()
  @Coordinate('lon', 180, 'lat')
  lon?: number;
}

/**
 * `location` as sent: an object, or (as before coordinates) a string that is the address. Anything
 * else is left as it is, for the validators to name.
 */
const asLocation = ({ value }: { value: unknown }): unknown => {
  if (typeof value === 'string') return plainToInstance(ProjectLocation, { address: value });
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return plainToInstance(ProjectLocation, value);
  return value;
};

/** Years a project can plausibly run in; PostgreSQL and every reader accept their dates. */
const DATE_ONLY = /^(?:19|2[01])\d{2}-\d{2}-\d{2}$/;
const DEADLINE_BASES = ['calendar', 'working'] as const;
type DeadlineBasis = (typeof DEADLINE_BASES)[number];

export class CreateProjectRequest {
  @ApiProperty({ example: 'SEOUL-2026-0001', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$' })
  @Rules(
    IsString(),
    Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, {
      message:
        'code must be 2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    }),
  )
  code!: string;

  @ApiProperty({
    pattern: '\\S',
    example: 'Cheonggyecheon pedestrian bridge seismic retrofit',
    maxLength: MAX_TITLE_LENGTH,
  })
  @Title()
  title!: string;

  @ApiProperty({ format: 'uuid', description: 'The ordering agency (an organization of kind agency).' })
  @IsUUID('all', { message: 'agencyOrganizationId must be a UUID' })
  agencyOrganizationId!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @Optional()
  @Rules(IsString(), MaxLength(5000))
  description?: string;

  @ApiPropertyOptional({
    oneOf: [
      { $ref: getSchemaPath(ProjectLocation) },
      { type: 'string', maxLength: 300, description: 'The address alone.' },
    ],
    description:
      'Where the project is: `{address, lat, lon}` (coordinates in WGS 84, both or neither), or the address as a string.',
  })
  @Optional()
  @Transform(asLocation)
  @IsObject({ message: 'location must be an object {address, lat, lon} or an address' })
  @ValidateNested()
  location?: ProjectLocation;

  @ApiPropertyOptional({ type: Money })
  @Optional()
  @ValidateNested()
  @Type(() => Money)
  contractAmount?: Money;

  @ApiPropertyOptional({ format: 'date', example: '2026-03-02' })
  @Optional()
  @Rules(
    Matches(DATE_ONLY, { message: 'startDate must be a date YYYY-MM-DD from 1900 to 2199' }),
    IsISO8601({ strict: true }, { message: 'startDate must be a valid calendar date' }),
  )
  startDate?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-06-30' })
  @Optional()
  @Rules(
    Matches(DATE_ONLY, { message: 'endDate must be a date YYYY-MM-DD from 1900 to 2199' }),
    IsISO8601({ strict: true }, { message: 'endDate must be a valid calendar date' }),
    IsNotBefore('startDate'),
  )
  endDate?: string;

  @ApiPropertyOptional({ enum: PROJECT_STATUSES, default: 'planned' })
  @Optional()
  @IsIn(PROJECT_STATUSES, { message: `status must be one of ${PROJECT_STATUSES.join(', ')}` })
  status?: ProjectStatus;

  @ApiPropertyOptional({
    enum: DEADLINE_BASES,
    description:
      "Count deadlines in calendar time, or in the profile's working calendar. Unset: the profile's default (calendar in Seoul, working in Tunisia).",
  })
  @Optional()
  @IsIn(DEADLINE_BASES, { message: 'deadlineBasis must be one of calendar, working' })
  deadlineBasis?: DeadlineBasis;
}

/**
 * What an administrator may change of a project: everything but its code and its agency, which
 * name it in the public log and in OC4IDS. Fields left out stay as they are.
 */
export class UpdateProjectRequest extends PartialType(
  OmitType(CreateProjectRequest, ['code', 'agencyOrganizationId'] as const),
) {}

export class ProjectLocationView {
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lat!: number | null;
  @ApiProperty({ type: Number, nullable: true }) lon!: number | null;

  /** The location of a project row, or null when it has neither address nor coordinates. */
  static of(row: Pick<ProjectEntity, 'location' | 'latitude' | 'longitude'>): ProjectLocationView | null {
    if (row.location === null && row.latitude === null) return null;
    return { address: row.location, lat: row.latitude, lon: row.longitude };
  }
}

export class ProjectView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ format: 'uuid' }) agencyOrganizationId!: string;
  @ApiProperty({ type: ProjectLocationView, nullable: true }) location!: ProjectLocationView | null;
  @ApiProperty({ type: Money, nullable: true }) contractAmount!: Money | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) startDate!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endDate!: string | null;
  @ApiProperty({ enum: PROJECT_STATUSES }) status!: ProjectStatus;
  @ApiProperty({ enum: DEADLINE_BASES }) deadlineBasis!: DeadlineBasis;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static of(row: ProjectEntity): ProjectView {
    return {
      id: row.id,
      code: row.code,
      title: row.title,
      description: row.description,
      agencyOrganizationId: row.agencyOrganizationId,
      location: ProjectLocationView.of(row),
      contractAmount:
        row.contractAmount !== null && row.contractCurrency !== null
          ? { value: row.contractAmount, currency: row.contractCurrency }
          : null,
      startDate: row.startDate,
      endDate: row.endDate,
      status: row.status,
      deadlineBasis: row.deadlineBasis,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

export class ProjectPage {
  @ApiProperty({ type: [ProjectView] }) items!: ProjectView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SetMemberRequest {
  @ApiProperty({ enum: PROJECT_ROLES })
  @IsIn(PROJECT_ROLES, { message: `role must be one of ${PROJECT_ROLES.join(', ')}` })
  role!: ProjectRole;
}

export class MemberView {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role!: ProjectRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static of(row: ProjectMemberEntity): MemberView {
    return {
      projectId: row.projectId,
      userId: row.userId,
      role: row.role,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

export class MemberList {
  @ApiProperty({ type: [MemberView] }) items!: MemberView[];
}
