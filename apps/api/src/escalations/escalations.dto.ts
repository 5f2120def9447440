import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import {
  MAX_COMMENT_LENGTH,
  MIN_EXTENSION_SECONDS,
  PROJECT_ROLES,
  type EscalationResolution,
  type ResolveAction,
} from '@openccs/domain';
import type { EscalationRow } from '@openccs/persistence';
import { PageQuery } from '../common/pagination';
import { ReportView } from '../reports/reports.dto';
import { IsDuration, Optional, Rules } from '../common/validation.pipe';

const ACTIONS: ResolveAction[] = ['reassign', 'extend', 'approve', 'reject', 'return'];

export class EscalationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'resolved'], default: 'open' })
  @Optional()
  @IsIn(['open', 'resolved'], { message: 'status must be open or resolved' })
  status?: 'open' | 'resolved';
}

export class ResolveEscalationRequest {
  @ApiProperty({ enum: ACTIONS })
  @IsIn(ACTIONS, { message: `action must be one of ${ACTIONS.join(', ')}` })
  action!: ResolveAction;

  @ApiProperty({
    pattern: '\\S',
    maxLength: MAX_COMMENT_LENGTH,
    description: 'Why. Recorded on the report and in the audit log; disclosed for decisions on behalf.',
  })
  @Rules(
    IsString({ message: 'justification is required' }),
    MaxLength(MAX_COMMENT_LENGTH),
    Matches(/\S/, { message: 'justification must not be blank' }),
  )
  justification!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'With reassign: another member of the step’s role.' })
  @ValidateIf((o: ResolveEscalationRequest) => o.action === 'reassign' || o.toUserId !== undefined)
  @IsUUID('all', { message: 'toUserId must be a UUID (required to reassign)' })
  toUserId?: string;

  @ApiPropertyOptional({
    example: 'PT24H',
    description: 'With extend: how much later the deadline is (ISO 8601, at least PT1M, at most P366D).',
  })
  @ValidateIf((o: ResolveEscalationRequest) => o.action === 'extend' || o.extendBy !== undefined)
  @IsDuration(true, MIN_EXTENSION_SECONDS / 60)
  extendBy?: string;
}

export class EscalationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) reportId!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() projectCode!: string;
  @ApiProperty() reportTitle!: string;
  @ApiProperty({ description: 'One of the profile’s report kinds.' }) reportKind!: string;
  @ApiProperty() stepKey!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ description: '0 for the first level of the step’s escalation.' }) level!: number;
  @ApiProperty({
    enum: ['overdue', 'unassigned'],
    description: 'Why it opened: the step missed its deadline, or nobody is left who can decide it.',
  })
  reason!: 'overdue' | 'unassigned';
  @ApiProperty({ enum: PROJECT_ROLES }) toRole!: string;
  @ApiProperty({ format: 'date-time', description: 'The deadline that was missed.' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: 'open' | 'resolved';
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  resolution!: EscalationResolution | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;

  static of(row: EscalationRow): EscalationView {
    const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
    return {
      ...row,
      dueAt: iso(row.dueAt) as string,
      openedAt: iso(row.openedAt) as string,
      resolvedAt: iso(row.resolvedAt),
    };
  }
}

export class EscalationPage {
  @ApiProperty({ type: [EscalationView] }) items!: EscalationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ResolveEscalationResponse {
  @ApiProperty({ type: EscalationView }) escalation!: EscalationView;
  @ApiProperty({ type: ReportView }) report!: ReportView;
}
