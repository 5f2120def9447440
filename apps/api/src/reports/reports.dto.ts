import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  DECISION_ACTIONS,
  REPORT_STATUSES,
  MAX_ATTACHMENTS,
  MAX_BODY_BYTES,
  MAX_COMMENT_LENGTH,
  MAX_SUMMARY_LENGTH,
  MAX_TITLE_LENGTH,
  KIND_KEY,
  PROJECT_ROLES,
  type Decision,
  type DecisionAction,
  type ReportKind,
  type ReportState,
  type ReportStatus,
  type StepStatus,
} from '@openccs/domain';
import type { ProjectReportRow } from '@openccs/persistence';
import type { Profile } from '@openccs/profile';
import { PageQuery } from '../common/pagination';
import type { FieldError } from '../common/problem';
import { QueryFlag } from '../common/whole-number';
import {
  IsAmount,
  IsCurrency,
  JsonSize,
  kindRule,
  MAX_AMOUNT,
  Optional,
  Rules,
  Title,
} from '../common/validation.pipe';
import { FileIdProperty } from '../files/file-id';

export class ReportAmount {
  @ApiProperty({
    example: 125000000,
    minimum: -MAX_AMOUNT,
    maximum: MAX_AMOUNT,
    description:
      'For a contract change, the change to the contract amount (may be negative); for a payment, the amount claimed.',
  })
  @IsAmount()
  value!: number;

  @ApiProperty({ example: 'KRW' })
  @IsCurrency()
  currency!: string;
}

export class AttachmentRequest {
  @FileIdProperty()
  fileId!: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Publish it with the step’s record when the kind’s policy allows attachments to be published (a photo as a copy without its location and camera data).',
  })
  @Optional()
  @IsBoolean({ message: 'public must be true or false' })
  public?: boolean;
}

export class SubmitReportRequest {
  static profileRules(value: Record<string, unknown>, profile: Profile): FieldError[] {
    return kindRule('kind', value.kind, profile);
  }

  @ApiProperty({
    type: String,
    pattern: KIND_KEY.source,
    example: 'design_change',
    description:
      'One of the deployment profile’s report kinds (GET /public/v1/profile lists them with their rules).',
  })
  @Rules(
    IsString(),
    Matches(KIND_KEY, { message: 'kind must be the key of one of the profile’s report kinds' }),
  )
  kind!: ReportKind;

  @ApiProperty({ pattern: '\\S', example: 'Abutment A2 widening', maxLength: MAX_TITLE_LENGTH })
  @Title()
  title!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `The kind's fields, as its JSON Schema in the profile says (GET /public/v1/profile); only the kind's public fields are ever published. At most ${MAX_BODY_BYTES / 1024} KiB as JSON.`,
  })
  @Optional()
  @Rules(IsObject(), JsonSize(MAX_BODY_BYTES))
  body?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: MAX_SUMMARY_LENGTH })
  @Optional()
  @Rules(IsString(), MaxLength(MAX_SUMMARY_LENGTH))
  publicSummary?: string;

  @ApiPropertyOptional({
    type: ReportAmount,
    description: 'Only for kinds with an amount (a contract change or a payment), in the profile’s currency.',
  })
  @Optional()
  @ValidateNested()
  @Type(() => ReportAmount)
  amount?: ReportAmount;

  @ApiPropertyOptional({
    type: [AttachmentRequest],
    maxItems: MAX_ATTACHMENTS,
    description: `Evidence: files uploaded with POST /api/v1/files (by you, or already part of this project), at most ${MAX_ATTACHMENTS}.`,
  })
  @Optional()
  @Rules(IsArray(), ArrayMaxSize(MAX_ATTACHMENTS))
  @ValidateNested({ each: true })
  @Type(() => AttachmentRequest)
  attachments?: AttachmentRequest[];
}

export class DecisionRequest {
  @ApiProperty({ enum: DECISION_ACTIONS })
  @IsIn(DECISION_ACTIONS, { message: `action must be one of ${DECISION_ACTIONS.join(', ')}` })
  action!: DecisionAction;

  @ApiPropertyOptional({ maxLength: MAX_COMMENT_LENGTH })
  @Optional()
  @Rules(IsString(), MaxLength(MAX_COMMENT_LENGTH))
  comment?: string;
}

export class DelegationRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'toUserId must be a UUID' })
  toUserId!: string;
}

/** What a resubmission may change (any of the submission's content), and why. */
export class ResubmitRequest extends PartialType(
  PickType(SubmitReportRequest, ['title', 'body', 'publicSummary', 'amount', 'attachments'] as const),
) {
  @ApiPropertyOptional({ maxLength: MAX_COMMENT_LENGTH })
  @Optional()
  @Rules(IsString(), MaxLength(MAX_COMMENT_LENGTH))
  comment?: string;
}

export class DecisionView {
  @ApiProperty() stepKey!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'uuid' }) actorId!: string;
  @ApiProperty({ enum: DECISION_ACTIONS }) action!: DecisionAction;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class StepEscalationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() level!: number;
  @ApiProperty({ enum: ['overdue', 'unassigned'] }) reason!: 'overdue' | 'unassigned';
  @ApiProperty({ enum: PROJECT_ROLES }) toRole!: string;
  @ApiProperty({ format: 'date-time', description: 'The deadline that was missed.' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'How it was resolved: action, actor, justification, time, and the target or extension.',
  })
  resolution!: Record<string, unknown> | null;
}

export class StepView {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PROJECT_ROLES }) assigneeRole!: string;
  @ApiProperty({ enum: ['all', 'any', 'quorum'] }) mode!: string;
  @ApiPropertyOptional() quorum?: number;
  @ApiProperty({ enum: ['waiting', 'active', 'approved', 'rejected', 'returned', 'skipped'] })
  status!: StepStatus;
  @ApiProperty({ type: [String], description: 'User ids who may decide this step.' }) assignees!: string[];
  @ApiProperty({ type: [String] }) approvals!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) openedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiPropertyOptional({
    type: String,
    description: 'Why an open step has no deadline (its working calendar lists no holidays that far).',
  })
  deadlineProblem?: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: [DecisionView], description: 'Decisions on this step in the current revision.' })
  decisions!: DecisionView[];
  @ApiProperty({
    type: [StepEscalationView],
    description: 'Escalations of this step, with their resolutions.',
  })
  escalations!: StepEscalationView[];
}

export class AttachmentView {
  @ApiProperty({ description: 'SHA-256 of the file: GET /api/v1/files/{fileId}.' }) fileId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty() public!: boolean;
  @ApiProperty({ description: 'The revision it belongs to.' }) revision!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'SHA-256 of what a public record names: the file, or a photo’s copy without metadata.',
  })
  publishedSha256!: string | null;
}

export class ReportView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ type: String, description: 'One of the profile’s report kinds.' }) kind!: ReportKind;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) body!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) publicSummary!: string | null;
  @ApiProperty({ type: ReportAmount, nullable: true }) amount!: ReportAmount | null;
  @ApiProperty({ enum: REPORT_STATUSES })
  status!: ReportStatus;
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'uuid' }) submitterId!: string;
  @ApiProperty({ description: 'Version of the approval line snapshotted at submission.' })
  lineVersion!: number;
  @ApiProperty({
    description:
      'The version (SHA-256 of its JSON Schema) of the kind the report was submitted under: the rules it is judged and published by.',
  })
  kindVersion!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Key of the open step.' }) currentStep!:
    string | null;
  @ApiProperty({ type: [StepView] }) steps!: StepView[];
  @ApiProperty({ type: [DecisionView], description: 'Every decision of every revision, oldest first.' })
  decisions!: DecisionView[];
  @ApiProperty({
    type: [AttachmentView],
    description:
      'The attachments of every revision, oldest revision first; those of the current one are its evidence.',
  })
  attachments!: AttachmentView[];
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Increases with every change.' }) version!: number;

  static of(s: ReportState): ReportView {
    const current = (d: Decision, key: string) => d.revision === s.revision && d.stepKey === key;
    return {
      id: s.reportId,
      projectId: s.projectId,
      kind: s.kind,
      title: s.title,
      body: s.body,
      publicSummary: s.publicSummary,
      amount: s.amount,
      status: s.status,
      revision: s.revision,
      submitterId: s.submitterId,
      lineVersion: s.lineVersion,
      kindVersion: s.kindSnapshot?.schemaVersion ?? 'legacy',
      currentStep: s.currentStep === null ? null : (s.steps[s.currentStep]?.key ?? null),
      steps: s.steps.map((st) => ({
        key: st.key,
        name: st.name,
        assigneeRole: st.assigneeRole,
        mode: st.mode,
        ...(st.quorum !== undefined ? { quorum: st.quorum } : {}),
        status: st.status,
        assignees: [...st.assignees],
        approvals: [...st.approvals],
        openedAt: st.openedAt,
        dueAt: st.dueAt,
        ...(st.deadlineProblem ? { deadlineProblem: st.deadlineProblem } : {}),
        closedAt: st.closedAt,
        decisions: s.decisions.filter((d) => current(d, st.key)),
        escalations: (st.escalations ?? []).map((e) => ({
          id: e.id,
          level: e.level,
          reason: e.reason ?? 'overdue',
          toRole: e.toRole,
          dueAt: e.dueAt,
          openedAt: e.openedAt,
          status: e.status,
          resolution: e.resolution ? { ...e.resolution } : null,
        })),
      })),
      decisions: [...s.decisions],
      attachments: (s.attachments ?? []).map((a) => ({
        fileId: a.fileId,
        name: a.name,
        contentType: a.contentType,
        size: a.size,
        public: a.public,
        revision: a.revision,
        publishedSha256: a.published?.sha256 ?? null,
      })),
      submittedAt: s.submittedAt,
      updatedAt: s.updatedAt,
      version: s.version,
    };
  }
}

export class InboxItem {
  @ApiProperty({ format: 'uuid' }) reportId!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() projectCode!: string;
  @ApiProperty() projectTitle!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() stepKey!: string;
  @ApiProperty() stepName!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
}

export class ProjectReportsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REPORT_STATUSES })
  @Optional()
  @IsIn(REPORT_STATUSES, { message: `status must be one of ${REPORT_STATUSES.join(', ')}` })
  status?: ReportStatus;

  @ApiPropertyOptional({ description: 'Only reports of this kind.' })
  @Optional()
  @Rules(
    IsString(),
    Matches(KIND_KEY, { message: 'kind must be the key of one of the profile’s report kinds' }),
  )
  kind?: string;
}

export class ProjectReportItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty() revision!: number;
  @ApiProperty({ type: String, nullable: true }) currentStep!: string | null;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static of(row: ProjectReportRow): ProjectReportItem {
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      status: row.status,
      revision: row.revision,
      currentStep: row.currentStepKey,
      submittedAt: new Date(row.submittedAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  }
}

export class ProjectReportPage {
  @ApiProperty({ type: [ProjectReportItem] }) items!: ProjectReportItem[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only steps of this project.' })
  @Optional()
  @IsUUID('all', { message: 'projectId must be a UUID' })
  projectId?: string;

  @ApiPropertyOptional({ description: 'Only reports of this kind.' })
  @Optional()
  @Rules(
    IsString(),
    Matches(KIND_KEY, { message: 'kind must be the key of one of the profile’s report kinds' }),
  )
  kind?: string;

  @ApiPropertyOptional({ description: 'Only steps past their deadline.' })
  @Optional()
  @QueryFlag('overdue')
  overdue?: boolean;
}

export class InboxPage {
  @ApiProperty({ type: [InboxItem] }) items!: InboxItem[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
