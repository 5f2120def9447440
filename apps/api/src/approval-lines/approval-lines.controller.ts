import { Body, Controller, Get, Param, ParseEnumPipe, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { REPORT_KINDS, type ReportKind } from '@openccs/domain';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { Problem, ProblemException } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { ApprovalLineList, ApprovalLineView, PutApprovalLineRequest } from './approval-lines.dto';
import { ApprovalLinesService } from './approval-lines.service';

const reportKindPipe = new ParseEnumPipe(Object.fromEntries(REPORT_KINDS.map((k) => [k, k])), {
  exceptionFactory: () =>
    new ProblemException({
      status: 400,
      code: 'validation_failed',
      detail: `reportKind must be one of ${REPORT_KINDS.join(', ')}.`,
      errors: [{ field: 'reportKind', message: `reportKind must be one of ${REPORT_KINDS.join(', ')}` }],
    }),
});

@ApiTags('approval lines')
@Authenticated()
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
  @ApiParam({ name: 'reportKind', enum: REPORT_KINDS })
  @ApiOkResponse({ type: ApprovalLineView, description: 'The version now in force.' })
  @ApiBadRequestResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  put(
    @UuidParam('projectId') projectId: string,
    @Param('reportKind', reportKindPipe) reportKind: ReportKind,
    @Body() body: PutApprovalLineRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalLineView> {
    return this.lines.put(projectId, reportKind, body, ctx);
  }
}
