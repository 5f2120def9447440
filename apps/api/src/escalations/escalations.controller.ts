import { Body, Controller, Get, HttpCode, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
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
  EscalationPage,
  EscalationsQuery,
  ResolveEscalationRequest,
  ResolveEscalationResponse,
} from './escalations.dto';
import { EscalationsService } from './escalations.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('escalations')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get()
  @ApiOkResponse({
    type: EscalationPage,
    description: 'Escalations raised to a role the caller holds on the project.',
  })
  list(@Query() query: EscalationsQuery, @Ctx() ctx: RequestContext): Promise<EscalationPage> {
    return this.escalations.list(ctx.actor, query);
  }

  @Post(':escalationId/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: ResolveEscalationResponse })
  @ApiBadRequestResponse({
    type: Problem,
    description: 'No justification, or a missing toUserId / extendBy.',
  })
  @ApiForbiddenResponse({ type: Problem, description: 'The caller does not hold the escalation’s role.' })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'Resolved already, or the step is no longer open.' })
  @ApiUnprocessableEntityResponse({ type: Problem, description: 'The reassignment target does not fit.' })
  resolve(
    @UuidParam('escalationId') id: string,
    @Body() body: ResolveEscalationRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ResolveEscalationResponse> {
    return this.escalations.resolve(id, body, ctx);
  }
}
