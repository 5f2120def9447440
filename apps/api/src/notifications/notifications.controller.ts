import { Body, Controller, Delete, Get, HttpCode, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import {
  CreatedWebhook,
  CreateWebhookRequest,
  NotificationPage,
  NotificationsQuery,
  NotificationView,
  WebhookList,
} from './notifications.dto';
import { NotificationsService } from './notifications.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('notifications')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPage, description: 'Your notifications, oldest first.' })
  list(@Query() query: NotificationsQuery, @Ctx() ctx: RequestContext): Promise<NotificationPage> {
    return this.notifications.list(ctx.actor, query);
  }

  @Post(':notificationId/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationView })
  @ApiNotFoundResponse({ type: Problem })
  read(@UuidParam('notificationId') id: string, @Ctx() ctx: RequestContext): Promise<NotificationView> {
    return this.notifications.markRead(ctx.actor, id);
  }
}

@ApiTags('notifications')
@Authenticated()
@RequireSystemRole('admin')
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/organizations/:organizationId/webhooks')
export class WebhooksController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhook, description: 'Registered; the secret is shown only here.' })
  @ApiNotFoundResponse({ type: Problem })
  create(
    @UuidParam('organizationId') organizationId: string,
    @Body() body: CreateWebhookRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedWebhook> {
    return this.notifications.createWebhook(organizationId, body, ctx);
  }

  @Get()
  @ApiOkResponse({ type: WebhookList })
  async list(@UuidParam('organizationId') organizationId: string): Promise<WebhookList> {
    return { items: await this.notifications.webhooks(organizationId) };
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deactivated: no further deliveries.' })
  @ApiNotFoundResponse({ type: Problem })
  deactivate(
    @UuidParam('organizationId') organizationId: string,
    @UuidParam('webhookId') webhookId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    return this.notifications.deactivateWebhook(organizationId, webhookId, ctx);
  }
}
