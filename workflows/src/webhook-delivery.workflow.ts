/**
 * Delivers one webhook: retried with exponential backoff, then marked failed. It runs on its
 * own (started, never awaited, and abandoned by the report workflow), so a receiver that is
 * down delays nothing but its own delivery.
 */
import { proxyActivities } from '@temporalio/workflow';
import {
  ACTIVITY_FAILURE,
  WEBHOOK_MAX_ATTEMPTS,
  type NotificationActivities,
  type WebhookDeliveryInput,
} from '@openccs/contracts';

export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<'delivered' | 'failed'> {
  const { deliverWebhook } = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: `${input.retryInitialSeconds} seconds`,
      backoffCoefficient: 2,
      maximumAttempts: WEBHOOK_MAX_ATTEMPTS,
      nonRetryableErrorTypes: [ACTIVITY_FAILURE.webhookInactive],
    },
  });
  const { markDeliveryFailed } = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '30 seconds',
  });
  try {
    await deliverWebhook(input.deliveryId);
    return 'delivered';
  } catch (err) {
    await markDeliveryFailed(
      input.deliveryId,
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err),
    );
    return 'failed';
  }
}
