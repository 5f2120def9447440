/**
 * Citizens' feedback in the console: its page (with the contact for whoever answers it), and the
 * answer and moderation forms, parsed into the API's request classes and sent to the same
 * service as POST /api/v1/feedback/{id}/answer and /moderate.
 */
import { Body, Controller, Get, Post, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@openccs/domain';
import { ProblemException } from '../common/problem';
import type { AuthenticatedRequest, RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { AnswerFeedbackRequest, ModerateFeedbackRequest } from '../feedback/feedback.dto';
import { FeedbackService } from '../feedback/feedback.service';
import { ConsoleFrames } from './console-frame';
import { actorOf } from './console.controller';
import { ConsoleFilter, refusalOf, type ConsoleRefusal } from './console.filter';
import { ConsolePage } from './session';
import { feedbackPage } from './views';
import { IdempotencyInterceptor } from '../common/idempotency';

type Form = Record<string, unknown>;

@ApiExcludeController()
@UseFilters(ConsoleFilter)
@UseInterceptors(IdempotencyInterceptor)
@Controller('console')
export class ConsoleFeedbackController {
  constructor(
    private readonly frames: ConsoleFrames,
    private readonly feedback: FeedbackService,
  ) {}

  @ConsolePage()
  @Get('feedback/:feedbackId')
  async page(
    @UuidParam('feedbackId') id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.show(req, res, id, { done: req.query.done === '1' });
  }

  @ConsolePage()
  @Post('feedback/:feedbackId/answer')
  answer(
    @UuidParam('feedbackId') id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    return this.act(req, res, id, form, async (ctx) => {
      await this.feedback.answer(id, await this.frames.parse(AnswerFeedbackRequest, form), ctx);
    });
  }

  @ConsolePage()
  @Post('feedback/:feedbackId/moderate')
  moderate(
    @UuidParam('feedbackId') id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    return this.act(req, res, id, form, async (ctx) => {
      await this.feedback.moderate(id, await this.frames.parse(ModerateFeedbackRequest, form), ctx);
    });
  }

  private async act(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    form: Form,
    command: (ctx: RequestContext) => Promise<void>,
  ): Promise<void> {
    try {
      await command(this.frames.contextOf(req, form));
    } catch (err) {
      if (!(err instanceof DomainError || err instanceof ProblemException)) throw err;
      if (err instanceof DomainError && err.code === 'feedback.not_found') throw err;
      return this.show(req, res, id, { refusal: refusalOf(err) });
    }
    this.frames.redirect(res, `/console/feedback/${id}?done=1`);
  }

  private async show(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    extra: { done?: boolean; refusal?: ConsoleRefusal },
  ): Promise<void> {
    const view = await this.feedback.get(id, actorOf(req));
    const frame = await this.frames.frame(req, res);
    this.frames.send(
      res,
      frame,
      view.message.slice(0, 80),
      feedbackPage(frame, {
        feedback: view,
        formKey: randomUUID(),
        ...(extra.refusal ? { refusal: extra.refusal } : {}),
        ...(extra.done ? { done: true } : {}),
      }),
      extra.refusal?.status ?? 200,
    );
  }
}
