/**
 * The audit log, read-only, for administrators and auditors: who did what, when, from which
 * request, for every state-changing call (written in the same transaction as the change).
 */
import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AuditLogRepository, type AuditEventRow } from '@openccs/persistence';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { bySerial, paginate, PageQuery, type Page } from '../common/pagination';
import { IsInstant, Optional, Rules } from '../common/validation.pipe';
import { IdempotencyInterceptor } from '../common/idempotency';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Kind of thing changed, e.g. report or project.', maxLength: 50 })
  @Optional()
  @Rules(IsString(), MaxLength(50))
  subjectType?: string;

  @ApiPropertyOptional({ description: 'Id of the thing changed.', maxLength: 200 })
  @Optional()
  @Rules(IsString(), MaxLength(200))
  subjectId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Who did it.' })
  @Optional()
  @IsUUID('all', { message: 'actorUserId must be a UUID' })
  actorUserId?: string;

  @ApiPropertyOptional({ description: 'What was done, e.g. report.decide.', pattern: '^[a-z_]+\\.[a-z_.]+$' })
  @Optional()
  @Matches(/^[a-z_]+\.[a-z_.]+$/, { message: 'action must look like report.decide' })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Events about this project or one of its reports.' })
  @Optional()
  @IsUUID('all', { message: 'projectId must be a UUID' })
  projectId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From this instant on (inclusive).' })
  @Optional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before this instant.' })
  @Optional()
  @IsInstant()
  to?: string;
}

export class AuditEventView {
  @ApiProperty({ description: 'Position in the audit log; larger is newer.' }) id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId!: string | null;
  @ApiProperty({ example: 'report.decide' }) action!: string;
  @ApiProperty({ example: 'report' }) subjectType!: string;
  @ApiProperty() subjectId!: string;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;

  static of(row: AuditEventRow): AuditEventView {
    return { ...row, occurredAt: new Date(row.occurredAt).toISOString() };
  }
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView] }) items!: AuditEventView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

@ApiTags('audit')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditLogRepository) {}

  @Get()
  @RequireSystemRole('admin', 'auditor')
  @ApiOkResponse({ type: AuditEventPage, description: 'Newest first; filter by subject, actor or action.' })
  list(@Query() query: AuditQuery): Promise<Page<AuditEventView>> {
    const { subjectType, subjectId, actorUserId, action, projectId, from, to } = query;
    return paginate(
      query,
      (page) =>
        this.audit.list(
          {
            ...(subjectType ? { subjectType } : {}),
            ...(subjectId ? { subjectId } : {}),
            ...(actorUserId ? { actorUserId } : {}),
            ...(action ? { action } : {}),
            ...(projectId ? { projectId } : {}),
            // Normalized here: PostgreSQL reads the instant we checked, not its own reading of it.
            ...(from ? { from: new Date(from).toISOString() } : {}),
            ...(to ? { to: new Date(to).toISOString() } : {}),
          },
          page,
        ),
      bySerial(),
      AuditEventView.of,
    );
  }
}
