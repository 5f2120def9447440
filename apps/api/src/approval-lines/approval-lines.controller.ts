import { Body, Controller, Get, Param, Put, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { ReportKind } from '@openccs/domain';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { Problem } from '../common/problem';
import { ReportKindPipe } from '../common/report-kind.pipe';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { ApprovalLineList, ApprovalLineView, PutApprovalLineRequest } from './approval-lines.dto';
import { ApprovalLinesService } from './approval-lines.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('approval lines')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/projects/:projectId/approval-lines')
export class ApprovalLinesController {
  constructor(private readonly lines: ApprovalLinesService) {}

  @Get()
  @ApiOkResponse({ type: ApprovalLineList, description: 'The version in force of each report kind’s line.' })
  @ApiNotFoundResponse({ type: Problem })
  async list(
    @UuidParam('projectId') projectId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalLineList> {
    return { items: await this.lines.list(projectId, ctx.actor) };
  }

  @Put(':reportKind')
  @RequireSystemRole('admin')
  @ApiParam({
    name: 'reportKind',
    schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' },
    description: 'One of the profile’s report kinds (GET /public/v1/profile).',
  })
  @ApiOkResponse({ type: ApprovalLineView, description: 'The version now in force.' })
  @ApiBadRequestResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  put(
    @UuidParam('projectId') projectId: string,
    @Param('reportKind', ReportKindPipe) reportKind: ReportKind,
    @Body() body: PutApprovalLineRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalLineView> {
    return this.lines.put(projectId, reportKind, body, ctx);
  }
}
