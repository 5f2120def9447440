import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MAX_ESCALATION_LEVELS,
  MAX_LINE_STEPS,
  MAX_ROLE_MEMBERS,
  PROJECT_ROLES,
  type ProjectRole,
  type ReportKind,
  type StepMode,
  type StepTemplate,
} from '@openccs/domain';
import type { ApprovalLineEntity } from '@openccs/persistence';
import { Optional, Rules, SingleLine } from '../common/validation.pipe';

const MODES: StepMode[] = ['all', 'any', 'quorum'];

export class EscalationLevelDto {
  @ApiProperty({
    example: 'PT0S',
    description: 'ISO 8601 duration after the deadline at which this level opens.',
  })
  @IsString()
  after!: string;

  @ApiProperty({ enum: PROJECT_ROLES, example: 'agency_head' })
  @IsIn(PROJECT_ROLES, { message: `toRole must be one of ${PROJECT_ROLES.join(', ')}` })
  toRole!: ProjectRole;
}

export class StepDto {
  @ApiProperty({ example: 'supervisor_review', pattern: '^[a-z][a-z0-9_]{0,63}$' })
  @Rules(
    IsString(),
    Matches(/^[a-z][a-z0-9_]{0,63}$/, {
      message: 'key must be lower-case letters, digits and _, starting with a letter',
    }),
  )
  key!: string;

  @ApiProperty({ pattern: '\\S', maxLength: 200, example: 'Supervisor review' })
  @Rules(IsString(), MaxLength(200), Matches(/\S/, { message: 'name must not be blank' }), SingleLine())
  name!: string;

  @ApiProperty({ enum: PROJECT_ROLES })
  @IsIn(PROJECT_ROLES, { message: `assigneeRole must be one of ${PROJECT_ROLES.join(', ')}` })
  assigneeRole!: ProjectRole;

  @ApiProperty({ enum: MODES })
  @IsIn(MODES, { message: 'mode must be one of all, any, quorum' })
  mode!: StepMode;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_ROLE_MEMBERS,
    description: 'Approvals needed; only with mode quorum.',
  })
  @Optional()
  @Rules(IsInt(), Min(1), Max(MAX_ROLE_MEMBERS))
  quorum?: number;

  @ApiProperty({ example: 'PT72H', description: 'ISO 8601 duration from the step opening to its deadline.' })
  @IsString()
  sla!: string;

  @ApiPropertyOptional({ type: [EscalationLevelDto], default: [] })
  @Optional()
  @Rules(IsArray(), ArrayMaxSize(MAX_ESCALATION_LEVELS))
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelDto)
  escalation?: EscalationLevelDto[];

  @ApiPropertyOptional({ default: true, description: 'Whether the step outcome is disclosed to the public.' })
  @Optional()
  @IsBoolean()
  public?: boolean;
}

export class PutApprovalLineRequest {
  @ApiProperty({ type: [StepDto] })
  @Rules(
    IsArray(),
    ArrayMinSize(1, { message: 'steps must contain at least one step' }),
    ArrayMaxSize(MAX_LINE_STEPS),
  )
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps!: StepDto[];
}

export function toTemplate(step: StepDto): StepTemplate {
  return {
    key: step.key,
    name: step.name.trim(),
    assigneeRole: step.assigneeRole,
    mode: step.mode,
    ...(step.quorum !== undefined ? { quorum: step.quorum } : {}),
    sla: step.sla,
    escalation: (step.escalation ?? []).map((e) => ({ after: e.after, toRole: e.toRole })),
    public: step.public ?? true,
  };
}

export class ApprovalLineView {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ type: String, description: 'One of the profile’s report kinds.' }) reportKind!: ReportKind;
  @ApiProperty({ description: 'Increases with every change of the line.' }) version!: number;
  @ApiProperty({ type: [StepDto] }) steps!: StepTemplate[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(row: ApprovalLineEntity): ApprovalLineView {
    return {
      projectId: row.projectId,
      reportKind: row.reportKind,
      version: row.version,
      steps: row.steps,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class ApprovalLineList {
  @ApiProperty({ type: [ApprovalLineView] }) items!: ApprovalLineView[];
}
