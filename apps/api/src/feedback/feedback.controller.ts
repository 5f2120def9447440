import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Authenticated, Public } from '../auth/decorators';
import { ClientKey } from '../common/client-address';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import {
  AnswerFeedbackRequest,
  FeedbackQuery,
  FeedbackReceipt,
  FeedbackView,
  FollowUpRequest,
  ModerateFeedbackRequest,
  PublicFeedbackView,
  SubmitFeedbackRequest,
} from './feedback.dto';
import { FeedbackService } from './feedback.service';
import { IdempotencyInterceptor } from '../common/idempotency';

class ChallengeView {
  @ApiProperty({ enum: ['SHA-256'] }) algorithm!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of salt + the secret number.' }) challenge!: string;
  @ApiProperty({ description: 'The secret number is at most this.' }) maxnumber!: number;
  @ApiProperty({ description: 'Carries its expiry (`?expires=`, Unix seconds).' }) salt!: string;
  @ApiProperty({ description: 'HMAC-SHA-256 of the challenge, by the server.' }) signature!: string;
}

class FeedbackPage {
  @ApiProperty({ type: [FeedbackView] }) items!: FeedbackView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** Citizens: no account, a solved proof-of-work challenge instead. */
@ApiTags('public')
@Public()
@ApiTooManyRequestsResponse({ type: Problem, description: 'Too many requests or feedback from this client.' })
@Controller('public/v1')
export class PublicFeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get('feedback/challenge')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    type: ChallengeView,
    description:
      'A proof-of-work challenge (the ALTCHA scheme): find the number n ≤ maxnumber with SHA-256(salt + n) = challenge, then send base64 of {algorithm, challenge, number, salt, signature} as `altcha`. Good once, for ten minutes.',
  })
  challenge(): ChallengeView {
    return this.feedback.challenge();
  }

  @Post('projects/:code/feedback')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: FeedbackReceipt,
    description:
      'Received: routed to the project’s agency officers (safety also to its supervisor), answered in public after moderation. The contact is never published.',
  })
  @ApiBadRequestResponse({
    type: Problem,
    description: 'A field is wrong, or the proof of work was refused or reused.',
  })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({
    type: Problem,
    description: 'The same message reached this project within the last day.',
  })
  submit(
    @Param('code') code: string,
    @Body() body: SubmitFeedbackRequest,
    @ClientKey() client: string,
  ): Promise<FeedbackReceipt> {
    return this.feedback.submit(code, body, client);
  }

  @Get('feedback/:trackingCode')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: PublicFeedbackView, description: 'Where the feedback stands (never its contact).' })
  @ApiNotFoundResponse({ type: Problem })
  track(@Param('trackingCode') trackingCode: string): Promise<PublicFeedbackView> {
    return this.feedback.track(trackingCode);
  }

  @Post('feedback/:trackingCode/follow-up')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: PublicFeedbackView, description: 'Reopened (once) with the follow-up.' })
  @ApiBadRequestResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'Not answered yet, or followed up once already.' })
  followUp(
    @Param('trackingCode') trackingCode: string,
    @Body() body: FollowUpRequest,
    @ClientKey() client: string,
  ): Promise<PublicFeedbackView> {
    return this.feedback.followUp(trackingCode, body, client);
  }
}

/** Staff: the feedback they answer or moderate. */
@ApiTags('feedback')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get()
  @ApiOkResponse({
    type: FeedbackPage,
    description:
      'Feedback assigned to me, escalated to my role, or on a project where I am an agency officer or head (everything for administrators and auditors), newest first.',
  })
  list(@Query() query: FeedbackQuery, @Ctx() ctx: RequestContext): Promise<FeedbackPage> {
    return this.feedback.list(ctx.actor, query);
  }

  @Get(':feedbackId')
  @ApiOkResponse({ type: FeedbackView })
  @ApiNotFoundResponse({ type: Problem })
  get(@UuidParam('feedbackId') id: string, @Ctx() ctx: RequestContext): Promise<FeedbackView> {
    return this.feedback.get(id, ctx.actor);
  }

  @Post(':feedbackId/answer')
  @HttpCode(200)
  @ApiOkResponse({ type: FeedbackView, description: 'Answered (published once moderated for publication).' })
  @ApiForbiddenResponse({ type: Problem, description: 'Not assigned to you, nor escalated to your role.' })
  @ApiConflictResponse({ type: Problem, description: 'Closed, hidden or marked as spam.' })
  @ApiNotFoundResponse({ type: Problem })
  answer(
    @UuidParam('feedbackId') id: string,
    @Body() body: AnswerFeedbackRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<FeedbackView> {
    return this.feedback.answer(id, body, ctx);
  }

  @Post(':feedbackId/moderate')
  @HttpCode(200)
  @ApiOkResponse({
    type: FeedbackView,
    description:
      'publish: question and answer go into the public log (once answered); hide, spam: never published.',
  })
  @ApiForbiddenResponse({
    type: Problem,
    description: 'Only the project’s agency officers and head moderate.',
  })
  @ApiConflictResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  moderate(
    @UuidParam('feedbackId') id: string,
    @Body() body: ModerateFeedbackRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<FeedbackView> {
    return this.feedback.moderate(id, body, ctx);
  }
}
