/** In-app notifications, webhooks and their deliveries. */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { NotificationInput } from '@openccs/domain';

export interface NotificationRow {
  id: string;
  kind: string;
  projectId: string;
  reportId: string;
  title: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface WebhookRow {
  id: string;
  organizationId: string;
  url: string;
  active: boolean;
  createdAt: string;
}

export interface DeliveryToSend {
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  url: string;
  secret: string;
  active: boolean;
  payload: Record<string, unknown>;
}

@Injectable()
export class NotificationsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Stores `n` for each recipient (once per key and user) and queues one delivery per active
   * webhook of the recipients' organizations; returns the ids of the deliveries to send.
   */
  async store(n: NotificationInput, userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    return this.ds.transaction(async (tx: EntityManager) => {
      await tx.query(
        `INSERT INTO notifications (key, user_id, kind, project_id, report_id, title, data)
         SELECT $1, u, $3, $4, $5, $6, $7 FROM unnest($2::uuid[]) AS u
         ON CONFLICT (key, user_id) DO NOTHING`,
        [n.key, userIds, n.kind, n.projectId, n.reportId, n.title, JSON.stringify(n.data)],
      );
      const hooks: Array<{ id: string; organization_id: string; recipients: string[] }> = await tx.query(
        `SELECT w.id, w.organization_id, array_agg(u.id ORDER BY u.id) AS recipients
           FROM webhooks w JOIN users u ON u.organization_id = w.organization_id
          WHERE w.active AND u.id = ANY($1::uuid[])
          GROUP BY w.id, w.organization_id`,
        [userIds],
      );
      for (const hook of hooks) {
        const payload = {
          event: n.kind,
          key: n.key,
          title: n.title,
          projectId: n.projectId,
          reportId: n.reportId,
          recipients: hook.recipients,
          data: n.data,
        };
        await tx.query(
          `INSERT INTO webhook_deliveries (webhook_id, notification_key, payload) VALUES ($1, $2, $3)
           ON CONFLICT (webhook_id, notification_key) DO NOTHING`,
          [hook.id, n.key, JSON.stringify(payload)],
        );
      }
      const deliveries: Array<{ id: string }> = await tx.query(
        `SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.notification_key = $1 AND d.status = 'pending' AND w.id = ANY($2::uuid[])`,
        [n.key, hooks.map((h) => h.id)],
      );
      return deliveries.map((d) => d.id);
    });
  }

  forUser(
    userId: string,
    unreadOnly: boolean,
    page: { limit: number; after?: string },
  ): Promise<NotificationRow[]> {
    const [afterAt, afterId] = page.after?.split('|') ?? [];
    return this.ds.query(
      `SELECT id, kind, project_id AS "projectId", report_id AS "reportId", title, data,
              created_at AS "createdAt", read_at AS "readAt"
         FROM notifications
        WHERE user_id = $1 AND ($2::boolean IS FALSE OR read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY created_at, id
        LIMIT $5`,
      [userId, unreadOnly, afterAt ?? null, afterId ?? null, page.limit],
    );
  }

  /** The user's latest notifications, newest first. */
  latest(userId: string, limit: number): Promise<NotificationRow[]> {
    return this.ds.query(
      `SELECT id, kind, project_id AS "projectId", report_id AS "reportId", title, data,
              created_at AS "createdAt", read_at AS "readAt"
         FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [userId, limit],
    );
  }

  /** How many of the user's notifications are not read yet (the console's header count). */
  async unreadCount(userId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.ds.query(
      `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    );
    return rows[0]?.n ?? 0;
  }

  /** Marks the user's notification read; false when it is not theirs. */
  async markRead(userId: string, id: string): Promise<NotificationRow | undefined> {
    const rows: NotificationRow[][] = await this.ds.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
       RETURNING id, kind, project_id AS "projectId", report_id AS "reportId", title, data,
                 created_at AS "createdAt", read_at AS "readAt"`,
      [id, userId],
    );
    return rows[0]?.[0];
  }

  async createWebhook(
    tx: EntityManager,
    values: { organizationId: string; url: string; secret: string; createdBy: string },
  ): Promise<WebhookRow> {
    const rows: WebhookRow[] = await tx.query(
      `INSERT INTO webhooks (organization_id, url, secret, created_by) VALUES ($1, $2, $3, $4)
       RETURNING id, organization_id AS "organizationId", url, active, created_at AS "createdAt"`,
      [values.organizationId, values.url, values.secret, values.createdBy],
    );
    return rows[0] as WebhookRow;
  }

  webhooks(organizationId: string): Promise<WebhookRow[]> {
    return this.ds.query(
      `SELECT id, organization_id AS "organizationId", url, active, created_at AS "createdAt"
         FROM webhooks WHERE organization_id = $1 ORDER BY created_at`,
      [organizationId],
    );
  }

  async deactivateWebhook(tx: EntityManager, organizationId: string, id: string): Promise<boolean> {
    const rows: unknown[][] = await tx.query(
      `UPDATE webhooks SET active = false WHERE id = $1 AND organization_id = $2 RETURNING id`,
      [id, organizationId],
    );
    return (rows[0]?.length ?? 0) > 0;
  }

  async deliveryToSend(id: string): Promise<DeliveryToSend | undefined> {
    const rows: DeliveryToSend[] = await this.ds.query(
      `SELECT d.id, d.status, w.url, w.secret, w.active, d.payload
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    return rows[0];
  }

  async recordAttempt(
    id: string,
    outcome: { delivered: true } | { delivered: false; error: string },
  ): Promise<void> {
    await this.ds.query(
      outcome.delivered
        ? `UPDATE webhook_deliveries SET attempts = attempts + 1, status = 'delivered', delivered_at = now(), last_error = NULL WHERE id = $1`
        : `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1`,
      outcome.delivered ? [id] : [id, outcome.error],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'pending'`,
      [id, error],
    );
  }
}
