import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import {
  FEEDBACK_CATEGORIES,
  FEEDBACK_STATUSES,
  MAX_ANSWER_LENGTH,
  MAX_FEEDBACK_LENGTH,
  MAX_MODERATION_REASON_LENGTH,
  MODERATION_ACTIONS,
  type FeedbackCategory,
  type FeedbackState,
  type FeedbackStatus,
  type ModerationAction,
} from '@openccs/domain';
import { PageQuery } from '../common/pagination';
import { Optional, Rules } from '../common/validation.pipe';

/** Text that says something: a letter or a digit, not only spaces and invisible characters. */
const VISIBLE = /[\p{L}\p{N}]/u;

/** The proof of work: the ALTCHA payload the page's script made (base64 JSON). */
class WithProof {
  @ApiProperty({
    description:
      'The solved challenge of GET /public/v1/feedback/challenge: base64 of {algorithm, challenge, number, salt, signature} (the ALTCHA payload). Each challenge is good once, for ten minutes.',
    maxLength: 1024,
  })
  @Rules(
    IsString({ message: 'altcha must be the solved challenge of GET /public/v1/feedback/challenge' }),
    MaxLength(1024),
  )
  altcha!: string;
}

export class SubmitFeedbackRequest extends WithProof {
  @ApiProperty({ enum: FEEDBACK_CATEGORIES })
  @IsIn(FEEDBACK_CATEGORIES, { message: `category must be one of ${FEEDBACK_CATEGORIES.join(', ')}` })
  category!: FeedbackCategory;

  @ApiProperty({
    maxLength: MAX_FEEDBACK_LENGTH,
    description: 'The question or complaint; published after moderation.',
  })
  @Rules(
    IsString(),
    MaxLength(MAX_FEEDBACK_LENGTH),
    Matches(VISIBLE, { message: 'message must say something: at least one letter or digit' }),
  )
  message!: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description:
      'An email address or phone number for the officials answering it: stored encrypted, shown only to them, never published, deleted after the feedback closes plus the retention period.',
  })
  @Optional()
  @Rules(
    IsString(),
    MaxLength(200),
    Matches(/^(?:[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}|\+?[0-9][0-9 ().-]{5,30})$/, {
      message: 'contact must be an email address or a phone number',
    }),
  )
  contact?: string;
}

export class FollowUpRequest extends WithProof {
  @ApiProperty({ maxLength: MAX_FEEDBACK_LENGTH })
  @Rules(
    IsString(),
    MaxLength(MAX_FEEDBACK_LENGTH),
    Matches(VISIBLE, { message: 'message must say something: at least one letter or digit' }),
  )
  message!: string;
}

export class AnswerFeedbackRequest {
  @ApiProperty({
    maxLength: MAX_ANSWER_LENGTH,
    description: 'The official answer; published after moderation.',
  })
  @Rules(IsString(), MaxLength(MAX_ANSWER_LENGTH), Matches(/\S/, { message: 'answer must not be blank' }))
  answer!: string;
}

export class ModerateFeedbackRequest {
  @ApiProperty({ enum: MODERATION_ACTIONS })
  @IsIn(MODERATION_ACTIONS, { message: `action must be one of ${MODERATION_ACTIONS.join(', ')}` })
  action!: ModerationAction;

  @ApiProperty({ maxLength: MAX_MODERATION_REASON_LENGTH })
  @Rules(
    IsString(),
    MaxLength(MAX_MODERATION_REASON_LENGTH),
    Matches(/\S/, { message: 'reason must not be blank' }),
  )
  reason!: string;
}

export class FeedbackQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FEEDBACK_STATUSES })
  @Optional()
  @IsIn(FEEDBACK_STATUSES, { message: `status must be one of ${FEEDBACK_STATUSES.join(', ')}` })
  status?: FeedbackStatus;
}

export class FeedbackReceipt {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Keep it: GET /public/v1/feedback/{trackingCode} tells where it stands.' })
  trackingCode!: string;
}

/** What the citizen holding the tracking code sees: never the contact. */
export class PublicFeedbackView {
  @ApiProperty({ enum: FEEDBACK_STATUSES }) status!: FeedbackStatus;
  @ApiProperty() projectCode!: string;
  @ApiProperty({ enum: FEEDBACK_CATEGORIES }) category!: FeedbackCategory;
  @ApiProperty() message!: string;
  @ApiProperty({ type: String, nullable: true }) followUp!: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) answer!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The answering organization and role.' })
  answeredBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt!: string | null;
  @ApiProperty({ description: 'Whether its question and answer are in the public log.' }) published!: boolean;
  @ApiProperty({ description: 'Whether a follow-up may still reopen it.' }) canFollowUp!: boolean;

  /** `over`: its retention period passed and its workflow ended: nothing reopens it. */
  static of(state: FeedbackState, projectCode: string, over = false): PublicFeedbackView {
    return {
      status: state.status,
      projectCode,
      category: state.category,
      message: state.message,
      followUp: state.followUp?.message ?? null,
      receivedAt: state.receivedAt,
      dueAt: state.dueAt,
      answer: state.answer?.text ?? null,
      answeredBy: state.answer ? `${state.answer.by.organization} (${state.answer.by.role})` : null,
      answeredAt: state.answer?.at ?? null,
      published: state.publishedRounds.length > 0,
      canFollowUp: !over && !state.followUp && (state.status === 'answered' || state.status === 'closed'),
    };
  }
}

/** What staff see: the state, and the contact for those it is assigned or escalated to. */
export class FeedbackView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() projectCode!: string;
  @ApiProperty({ enum: FEEDBACK_CATEGORIES }) category!: FeedbackCategory;
  @ApiProperty({ enum: FEEDBACK_STATUSES }) status!: FeedbackStatus;
  @ApiProperty() message!: string;
  @ApiProperty({ type: String, nullable: true }) followUp!: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty({ type: [String] }) assignees!: string[];
  @ApiProperty({ type: [String], description: 'Roles this round was escalated to.' }) escalatedTo!: string[];
  @ApiProperty({ type: String, nullable: true }) answer!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: MODERATION_ACTIONS })
  moderation!: ModerationAction | null;
  @ApiProperty({ type: String, nullable: true }) moderationReason!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Only for the officials it is assigned or escalated to.',
  })
  contact!: string | null;
  @ApiProperty({ description: 'The contact was deleted after the retention period.' })
  contactDeleted!: boolean;
  @ApiProperty({ description: 'Whether I may answer it now (the console offers the form).' })
  mayAnswer!: boolean;
  @ApiProperty({ description: 'Whether I may moderate it now.' })
  mayModerate!: boolean;
}
