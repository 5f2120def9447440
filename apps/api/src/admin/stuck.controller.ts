/**
 * Reports that need an operator: GET lists them with the reason (the same facts readiness
 * reports), POST restarts one from its read model (docs/operations.md, "A stuck report").
 */
import { Body, Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { MAX_COMMENT_LENGTH } from '@openccs/domain';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { WorkflowHealth } from './workflow-health';
import { IdempotencyInterceptor } from '../common/idempotency';
import { Rules } from '../common/validation.pipe';

export class StuckReportView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reportId!: string | null;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ description: 'Why it needs attention.' }) reason!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) since!: string | null;
  @ApiProperty({
    enum: ['restart', 'add_member'],
    description:
      '`restart`: its workflow cannot make progress (POST …/restart). `add_member`: an escalation waits for a role nobody on the project holds.',
  })
  remedy!: 'restart' | 'add_member';
}

export class StuckList {
  @ApiProperty({ type: [StuckReportView] }) items!: StuckReportView[];
}

export class RestartRequest {
  @ApiProperty({ maxLength: MAX_COMMENT_LENGTH, description: 'Why; recorded in the audit log.' })
  @Rules(
    IsString({ message: 'reason is required' }),
    MaxLength(MAX_COMMENT_LENGTH),
    Matches(/\S/, { message: 'reason must not be blank' }),
  )
  reason!: string;
}

export class RestartResponse {
  @ApiProperty({ format: 'uuid' }) reportId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The new run of the report’s workflow; null when there was no stored state to continue (the run was only ended).',
  })
  runId!: string | null;
}

@ApiTags('administration')
@Authenticated()
@RequireSystemRole('admin')
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/admin/stuck')
export class StuckController {
  constructor(private readonly health: WorkflowHealth) {}

  @Get()
  @ApiOkResponse({
    type: StuckList,
    description: 'Reports whose workflow needs an operator, with the reason.',
  })
  async list(): Promise<StuckList> {
    return { items: await this.health.stuck() };
  }

  @Post(':reportId/restart')
  @HttpCode(200)
  @ApiOkResponse({ type: RestartResponse, description: 'Restarted from the last state the report stored.' })
  @ApiNotFoundResponse({ type: Problem })
  async restart(
    @UuidParam('reportId') reportId: string,
    @Body() body: RestartRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<RestartResponse> {
    return { reportId, ...(await this.health.restart(reportId, body.reason.trim(), ctx)) };
  }
}
