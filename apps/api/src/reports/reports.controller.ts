import { Body, Controller, Get, HttpCode, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated } from '../auth/decorators';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import {
  DecisionRequest,
  DelegationRequest,
  InboxPage,
  InboxQuery,
  ProjectReportPage,
  ProjectReportsQuery,
  ReportView,
  ResubmitRequest,
  SubmitReportRequest,
} from './reports.dto';
import { ReportsService } from './reports.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('reports')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post('projects/:projectId/reports')
  @ApiCreatedResponse({ type: ReportView, description: 'Submitted; its first step is open.' })
  @ApiBadRequestResponse({ type: Problem })
  @ApiForbiddenResponse({ type: Problem, description: "Only the project's contractors submit reports." })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'The same Idempotency-Key is still being processed.' })
  @ApiUnprocessableEntityResponse({
    type: Problem,
    description: 'The Idempotency-Key was used with another body.',
  })
  submit(
    @UuidParam('projectId') projectId: string,
    @Body() body: SubmitReportRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportView> {
    return this.reports.submit(projectId, body, ctx);
  }

  @Get('projects/:projectId/reports')
  @ApiOkResponse({ type: ProjectReportPage, description: 'The project’s reports, newest first.' })
  @ApiNotFoundResponse({ type: Problem })
  list(
    @UuidParam('projectId') projectId: string,
    @Query() query: ProjectReportsQuery,
    @Ctx() ctx: RequestContext,
  ): Promise<ProjectReportPage> {
    return this.reports.ofProject(projectId, ctx.actor, query);
  }

  @Get('reports/:reportId')
  @ApiOkResponse({ type: ReportView })
  @ApiNotFoundResponse({ type: Problem })
  get(@UuidParam('reportId') reportId: string, @Ctx() ctx: RequestContext): Promise<ReportView> {
    return this.reports.get(reportId, ctx.actor);
  }

  @Post('reports/:reportId/decisions')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportView, description: 'The state this decision produced.' })
  @ApiBadRequestResponse({ type: Problem })
  @ApiForbiddenResponse({
    type: Problem,
    description: 'Not an assignee of the open step, or your own report.',
  })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'No step is open, or the report is closed.' })
  decide(
    @UuidParam('reportId') reportId: string,
    @Body() body: DecisionRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportView> {
    return this.reports.decide(reportId, body, ctx);
  }

  @Post('reports/:reportId/delegations')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportView })
  @ApiForbiddenResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem })
  @ApiUnprocessableEntityResponse({
    type: Problem,
    description: 'The target is not another member of the same role.',
  })
  delegate(
    @UuidParam('reportId') reportId: string,
    @Body() body: DelegationRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportView> {
    return this.reports.delegate(reportId, body, ctx);
  }

  @Post('reports/:reportId/resubmit')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportView, description: 'A new revision, back at step 1.' })
  @ApiForbiddenResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'The report is not returned.' })
  resubmit(
    @UuidParam('reportId') reportId: string,
    @Body() body: ResubmitRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportView> {
    return this.reports.resubmit(reportId, body, ctx);
  }

  @Post('reports/:reportId/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportView })
  @ApiForbiddenResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem })
  withdraw(@UuidParam('reportId') reportId: string, @Ctx() ctx: RequestContext): Promise<ReportView> {
    return this.reports.withdraw(reportId, ctx);
  }

  @Get('inbox')
  @ApiOkResponse({ type: InboxPage, description: 'The open steps the caller can act on, oldest first.' })
  inbox(@Query() query: InboxQuery, @Ctx() ctx: RequestContext): Promise<InboxPage> {
    return this.reports.inbox(ctx.actor, query);
  }
}
