import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { ACTIVITY_FAILURE, type NotificationActivities, type NotifyResult } from '@openccs/contracts';
import type { NotificationInput } from '@openccs/domain';
import { NotificationsRepository, ProjectsRepository } from '@openccs/persistence';
import { permanent } from './failures';
import { signWebhook } from './webhook-signature';

const DELIVERY_TIMEOUT_MS = 10_000;

@Injectable()
export class NotificationActivitiesService implements NotificationActivities {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projects: ProjectsRepository,
    private readonly notifications: NotificationsRepository,
  ) {}

  async notify(notifications: NotificationInput[]): Promise<NotifyResult> {
    const deliveryIds: string[] = [];
    for (const n of notifications) {
      const userIds =
        'userIds' in n.to ? n.to.userIds : await this.projects.memberIdsWithRole(n.projectId, n.to.role);
      deliveryIds.push(...(await this.notifications.store(n, userIds)));
    }
    return { deliveryIds, retryInitialSeconds: this.config.webhooks.retryInitialSeconds };
  }

  /** One attempt; a failure is retried by the delivery workflow with backoff. */
  async deliverWebhook(deliveryId: string): Promise<void> {
    const d = await this.notifications.deliveryToSend(deliveryId);
    if (!d || d.status !== 'pending') return; // delivered or given up already: nothing to do twice
    if (!d.active) throw permanent(ACTIVITY_FAILURE.webhookInactive, 'the webhook was deactivated');
    const body = JSON.stringify({ deliveryId: d.id, ...d.payload });
    const timestamp = Math.floor(Date.now() / 1000);
    let error: string;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'OpenCCS-Webhooks/1',
          'x-openccs-delivery': d.id,
          'x-openccs-timestamp': String(timestamp),
          'x-openccs-signature': signWebhook(d.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        redirect: 'error',
      });
      if (res.ok) {
        await this.notifications.recordAttempt(d.id, { delivered: true });
        return;
      }
      error = `receiver answered ${res.status}`;
    } catch (err) {
      error = `receiver unreachable: ${(err as Error).message}`;
    }
    await this.notifications.recordAttempt(d.id, { delivered: false, error });
    throw ApplicationFailure.retryable(error, ACTIVITY_FAILURE.webhookAttemptFailed);
  }

  async markDeliveryFailed(deliveryId: string, error: string): Promise<void> {
    await this.notifications.markFailed(deliveryId, error);
  }
}
