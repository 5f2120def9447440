import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { lineProblem } from '@openccs/domain';
import type { NotificationRow, WebhookRow } from '@openccs/persistence';
import { PageQuery } from '../common/pagination';
import { QueryFlag } from '../common/whole-number';
import { Optional, Rules } from '../common/validation.pipe';

export class NotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only notifications not read yet.' })
  @Optional()
  @QueryFlag('unread')
  unread?: boolean;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['assignment', 'reminder', 'escalation', 'decision'] }) kind!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ format: 'uuid' }) reportId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: string | null;

  static of(row: NotificationRow): NotificationView {
    return {
      ...row,
      createdAt: new Date(row.createdAt).toISOString(),
      readAt: row.readAt ? new Date(row.readAt).toISOString() : null,
    };
  }
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView] }) items!: NotificationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/**
 * Why `text` is not a webhook address OpenCCS delivers to, or `null`: an absolute http(s) URL as
 * the deliverer's `fetch` parses it (WHATWG), one line with no bidirectional controls (it is shown
 * to staff), and no user name or password in it (credentials belong in the shared secret, not in
 * an address that is logged and audited).
 */
export function webhookUrlProblem(text: unknown): string | null {
  if (typeof text !== 'string' || text.length === 0) return 'url must be an http(s) URL';
  const line = lineProblem(text);
  if (line) return `url ${line}`;
  if (/\s/.test(text)) return 'url must not contain spaces';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url must be an http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must be an http(s) URL';
  if (url.username || url.password) return 'url must not carry a user name or password';
  if (!url.hostname) return 'url must name a host';
  return null;
}

export class CreateWebhookRequest {
  @ApiProperty({ maxLength: 2000, example: 'https://erp.example.go.kr/openccs/events' })
  @ValidateBy({
    name: 'isWebhookUrl',
    validator: {
      validate: (value: unknown) => webhookUrlProblem(value) === null,
      defaultMessage: (args) => webhookUrlProblem(args?.value) ?? '',
    },
  })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({
    maxLength: 256,
    minLength: 32,
    description: 'Shared HMAC secret; generated when omitted. Shown only once.',
  })
  @Optional()
  @Rules(
    IsString(),
    MinLength(32, { message: 'secret must be at least 32 characters long' }),
    MaxLength(256),
    Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' }),
  )
  secret?: string;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() url!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(row: WebhookRow): WebhookView {
    return { ...row, createdAt: new Date(row.createdAt).toISOString() };
  }
}

export class CreatedWebhook extends WebhookView {
  @ApiProperty({
    description: 'Signs every delivery (see docs/notifications.md). Shown only in this response.',
  })
  secret!: string;
}

export class WebhookList {
  @ApiProperty({ type: [WebhookView] }) items!: WebhookView[];
}
