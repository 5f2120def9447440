import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '@openccs/domain';
import { AuditRepository, NotificationsRepository, OrganizationsRepository } from '@openccs/persistence';
import type { Principal } from '../auth/principal';
import { byInstantAndId, paginate, type Page } from '../common/pagination';
import type { RequestContext } from '../common/request-context';
import {
  NotificationView,
  WebhookView,
  type CreatedWebhook,
  type CreateWebhookRequest,
  type NotificationsQuery,
} from './notifications.dto';

@Injectable()
export class NotificationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly notifications: NotificationsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditRepository,
  ) {}

  list(actor: Principal, query: NotificationsQuery): Promise<Page<NotificationView>> {
    return paginate(
      query,
      (page) => this.notifications.forUser(actor.id, query.unread ?? false, page),
      byInstantAndId('createdAt', 'id'),
      NotificationView.of,
    );
  }

  /** The latest 100 notifications, newest first: the console's list. */
  async latest(actor: Principal): Promise<NotificationView[]> {
    return (await this.notifications.latest(actor.id, 100)).map(NotificationView.of);
  }

  unreadCount(actor: Principal): Promise<number> {
    return this.notifications.unreadCount(actor.id);
  }

  async markRead(actor: Principal, id: string): Promise<NotificationView> {
    const row = await this.notifications.markRead(actor.id, id);
    if (!row) throw new DomainError('notification.not_found', `No notification ${id} of yours.`);
    return NotificationView.of(row);
  }

  async createWebhook(
    organizationId: string,
    body: CreateWebhookRequest,
    ctx: RequestContext,
  ): Promise<CreatedWebhook> {
    const secret = body.secret ?? randomBytes(32).toString('base64url');
    return this.ds.transaction(async (tx) => {
      if (!(await this.organizations.findById(organizationId, tx))) {
        throw new DomainError('organization.not_found', `No organization ${organizationId}.`);
      }
      const row = await this.notifications.createWebhook(tx, {
        organizationId,
        url: body.url,
        secret,
        createdBy: ctx.actor.id,
      });
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'webhook.create',
        subjectType: 'organization',
        subjectId: organizationId,
        requestId: ctx.requestId,
        details: { webhookId: row.id, url: row.url },
      });
      return { ...WebhookView.of(row), secret };
    });
  }

  async webhooks(organizationId: string): Promise<WebhookView[]> {
    if (!(await this.organizations.findById(organizationId))) {
      throw new DomainError('organization.not_found', `No organization ${organizationId}.`);
    }
    return (await this.notifications.webhooks(organizationId)).map(WebhookView.of);
  }

  async deactivateWebhook(organizationId: string, webhookId: string, ctx: RequestContext): Promise<void> {
    await this.ds.transaction(async (tx) => {
      if (!(await this.notifications.deactivateWebhook(tx, organizationId, webhookId))) {
        throw new DomainError(
          'webhook.not_found',
          `No webhook ${webhookId} of organization ${organizationId}.`,
        );
      }
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'webhook.deactivate',
        subjectType: 'organization',
        subjectId: organizationId,
        requestId: ctx.requestId,
        details: { webhookId },
      });
    });
  }
}
