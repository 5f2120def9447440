import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { createHash, randomUUID } from 'node:crypto';
import { REPORT_COMMANDS } from '@openccs/contracts';
import {
  amountProblem,
  availableActions,
  CALENDAR_TIME,
  DomainError,
  snapshotOf,
  type AttachmentInput,
  type AvailableActions,
  type FieldProblem,
  type KindSnapshot,
  type Money,
} from '@openccs/domain';
import { bodyProblems, InjectProfile, kindOf, kindProblem, type Profile } from '@openccs/profile';
import {
  ApprovalLinesRepository,
  FilesRepository,
  ReportsRepository,
  type InboxFilter,
  type InboxRow,
  type ReportRow,
} from '@openccs/persistence';
import type { Principal } from '../auth/principal';
import { byInstantAndId, paginate, type Page } from '../common/pagination';
import type { RequestContext } from '../common/request-context';
import { publicationProblem } from '../files/publication';
import { ProjectAccess } from '../projects/project-access';
import { ReportWorkflows } from '../temporal/report-workflows';
import {
  InboxItem,
  ProjectReportItem,
  ReportView,
  type ProjectReportPage,
  type ProjectReportsQuery,
  type InboxQuery,
  type AttachmentRequest,
  type DecisionRequest,
  type DelegationRequest,
  type ResubmitRequest,
  type SubmitReportRequest,
} from './reports.dto';

/** The most open steps one inbox page lists; nobody works through more than this at once. */
export const INBOX_PAGE_MAX = 1000;

const inboxItem = (row: InboxRow): InboxItem => ({
  ...row,
  openedAt: new Date(row.openedAt).toISOString(),
  dueAt: row.dueAt ? new Date(row.dueAt).toISOString() : null,
});

/** A UUID determined by the request key: a retried submission (same key, same body) is the same report. */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

@Injectable()
export class ReportsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectProfile() private readonly profile: Profile,
    private readonly access: ProjectAccess,
    private readonly lines: ApprovalLinesRepository,
    private readonly reports: ReportsRepository,
    private readonly files: FilesRepository,
    private readonly workflows: ReportWorkflows,
  ) {}

  /** The project, if `actor` may submit reports to it: only its contractors do. */
  async submittable(projectId: string, actor: Principal) {
    const { project, role } = await this.access.readable(projectId, actor);
    if (role !== 'contractor') {
      throw new DomainError('access.forbidden', "Only the project's contractors submit reports.");
    }
    return project;
  }

  async submit(projectId: string, body: SubmitReportRequest, ctx: RequestContext): Promise<ReportView> {
    const project = await this.submittable(projectId, ctx.actor);
    const kind = kindOf(this.profile, body.kind);
    if (!kind) {
      const problem = kindProblem(this.profile, 'kind', body.kind);
      throw new DomainError(
        'report.invalid',
        problem?.message ?? 'No such kind.',
        undefined,
        problem ? [problem] : [],
      );
    }
    const attachments = await this.attachments(projectId, ctx.actor, kind, body.attachments ?? []);
    this.checkContent(kind, { body: body.body ?? {}, amount: body.amount ?? null }, attachments.problems);
    const line = await this.lines.inForce(projectId, body.kind);
    const state = await this.workflows.start({
      submission: {
        reportId: ctx.idempotent ? uuidFrom(ctx.requestKey) : randomUUID(),
        projectId,
        kind: body.kind,
        submitterId: ctx.actor.id,
        // A project's lines are seeded right after it is created; until then its defaults are version 1.
        lineVersion: line?.version ?? 1,
        line: line?.steps ?? [...kind.line],
        kindSnapshot: snapshotOf(kind),
        attachments: attachments.inputs,
        title: body.title.trim(),
        body: body.body ?? {},
        publicSummary: body.publicSummary ?? null,
        amount: body.amount ? { value: body.amount.value, currency: body.amount.currency } : null,
        timing: {
          basis:
            project.deadlineBasis === 'working'
              ? { kind: 'working', calendar: this.profile.calendar.calendar }
              : CALENDAR_TIME,
          reminderPoints: this.config.deadlines.reminderPoints,
        },
      },
      requestId: ctx.requestId,
    });
    return ReportView.of(state);
  }

  async get(reportId: string, actor: Principal): Promise<ReportView> {
    return ReportView.of((await this.readable(reportId, actor)).state);
  }

  async decide(reportId: string, body: DecisionRequest, ctx: RequestContext): Promise<ReportView> {
    const row = await this.readable(reportId, ctx.actor);
    const state = await this.workflows.command(row.state, REPORT_COMMANDS.decide, {
      actorId: ctx.actor.id,
      actorRole: await this.access.roleOf(row.projectId, ctx.actor.id),
      action: body.action,
      comment: body.comment ?? null,
      requestKey: ctx.requestKey,
      requestId: ctx.requestId,
    });
    return ReportView.of(state);
  }

  async delegate(reportId: string, body: DelegationRequest, ctx: RequestContext): Promise<ReportView> {
    const row = await this.readable(reportId, ctx.actor);
    const state = await this.workflows.command(row.state, REPORT_COMMANDS.delegate, {
      actorId: ctx.actor.id,
      actorRole: await this.access.roleOf(row.projectId, ctx.actor.id),
      toUserId: body.toUserId,
      toUserRole: await this.access.roleOf(row.projectId, body.toUserId),
      requestKey: ctx.requestKey,
      requestId: ctx.requestId,
    });
    return ReportView.of(state);
  }

  async resubmit(reportId: string, body: ResubmitRequest, ctx: RequestContext): Promise<ReportView> {
    const row = await this.readable(reportId, ctx.actor);
    // Judged by the kind the report was submitted under, whatever the profile says today.
    const kind = row.state.kindSnapshot;
    const attachments = body.attachments
      ? await this.attachments(row.projectId, ctx.actor, kind, body.attachments)
      : undefined;
    this.checkContent(
      kind,
      {
        ...(body.body !== undefined ? { body: body.body } : {}),
        ...(body.amount !== undefined ? { amount: body.amount } : {}),
      },
      attachments?.problems ?? [],
    );
    const state = await this.workflows.command(row.state, REPORT_COMMANDS.resubmit, {
      actorId: ctx.actor.id,
      changes: {
        ...(body.title !== undefined ? { title: body.title.trim() } : {}),
        ...(body.body !== undefined ? { body: body.body } : {}),
        ...(body.publicSummary !== undefined ? { publicSummary: body.publicSummary } : {}),
        ...(body.amount !== undefined
          ? { amount: { value: body.amount.value, currency: body.amount.currency } }
          : {}),
        ...(attachments ? { attachments: attachments.inputs } : {}),
      },
      comment: body.comment ?? null,
      requestKey: ctx.requestKey,
      requestId: ctx.requestId,
    });
    return ReportView.of(state);
  }

  async withdraw(reportId: string, ctx: RequestContext): Promise<ReportView> {
    const row = await this.readable(reportId, ctx.actor);
    const state = await this.workflows.command(row.state, REPORT_COMMANDS.withdraw, {
      actorId: ctx.actor.id,
      requestKey: ctx.requestKey,
      requestId: ctx.requestId,
    });
    return ReportView.of(state);
  }

  inbox(actor: Principal, query: InboxQuery): Promise<Page<InboxItem>> {
    const { projectId, kind, overdue } = query;
    return paginate(
      query,
      (page) => this.reports.inbox(actor.id, page, { projectId, kind, overdue }),
      byInstantAndId('openedAt', 'reportId'),
      inboxItem,
    );
  }

  /** A project's reports, newest first, to whoever may read the project. */
  async ofProject(
    projectId: string,
    actor: Principal,
    query: ProjectReportsQuery,
  ): Promise<ProjectReportPage> {
    await this.access.readable(projectId, actor);
    const { status, kind } = query;
    return paginate(
      query,
      (page) => this.reports.listForProject(projectId, { status, kind }, page),
      byInstantAndId('submittedAt', 'id'),
      ProjectReportItem.of,
    );
  }

  /** The whole inbox (up to `INBOX_PAGE_MAX`), in one list: what the console shows. */
  async inboxList(actor: Principal, filter: InboxFilter): Promise<InboxItem[]> {
    return (await this.reports.inbox(actor.id, { limit: INBOX_PAGE_MAX }, filter)).map(inboxItem);
  }

  /** The report and what `actor` may do to it now: the console offers exactly these actions. */
  async withActions(
    reportId: string,
    actor: Principal,
  ): Promise<{ report: ReportView; kind: KindSnapshot; actions: AvailableActions }> {
    const row = await this.readable(reportId, actor);
    const role = await this.access.roleOf(row.projectId, actor.id);
    return {
      report: ReportView.of(row.state),
      // The kind it was submitted under: what a resubmission is judged by.
      kind: row.state.kindSnapshot,
      actions: availableActions(row.state, actor.id, role, new Date().toISOString()),
    };
  }

  /** The report, if `actor` may read its project; anyone else is told it does not exist. */
  private async readable(reportId: string, actor: Principal): Promise<ReportRow> {
    const notFound = () => new DomainError('report.not_found', `No report ${reportId} that you can read.`);
    const row = await this.reports.findById(reportId);
    if (!row) throw notFound();
    try {
      await this.access.readable(row.projectId, actor);
    } catch (err) {
      // Only "may not read the project" becomes "no such report"; anything else (an outage) stays what it is.
      throw err instanceof DomainError && err.code === 'project.not_found' ? notFound() : err;
    }
    return row;
  }

  /**
   * The content rules of a kind, all at once: the body fits its JSON Schema, and the amount fits
   * its amount rule (the domain's) in the deployment's currency. Only what is given is checked.
   */
  private checkContent(
    kind: KindSnapshot,
    content: { body?: Record<string, unknown>; amount?: Money | null },
    more: readonly FieldProblem[] = [],
  ): void {
    const problems: FieldProblem[] = [...more];
    if (content.body !== undefined) problems.push(...bodyProblems(kind, content.body));
    if (content.amount !== undefined) {
      const amount = amountProblem(kind, content.amount);
      if (amount) problems.push(amount);
    }
    if (problems.length > 0)
      throw new DomainError(
        'report.invalid',
        problems[0]?.message ?? 'The report is invalid.',
        undefined,
        problems,
      );
  }

  /**
   * The files a report attaches, as the workflow keeps them: each one the submitter uploaded, or
   * one already part of this project (carried over from an earlier revision); a public one only
   * when the kind publishes attachments and the file can be published (a photo needs its copy
   * without metadata). Problems name `attachments[i]`.
   */
  private async attachments(
    projectId: string,
    actor: Principal,
    kind: KindSnapshot,
    requested: readonly AttachmentRequest[],
  ): Promise<{ inputs: AttachmentInput[]; problems: FieldProblem[] }> {
    const inputs: AttachmentInput[] = [];
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    for (const [i, a] of requested.entries()) {
      const at = `attachments[${i}]`;
      if (seen.has(a.fileId)) {
        problems.push({ field: `${at}.fileId`, message: `${at}.fileId is attached twice` });
        continue;
      }
      seen.add(a.fileId);
      const file = await this.files.usableIn(a.fileId, actor.id, projectId);
      if (!file || file.withdrawnAt) {
        problems.push({
          field: `${at}.fileId`,
          message: `no file ${a.fileId} that you may attach here: upload it first (POST /api/v1/files)`,
        });
        continue;
      }
      const isPublic = a.public ?? false;
      if (isPublic && !kind.disclosure.attachments) {
        problems.push({
          field: `${at}.public`,
          message: `attachments of a ${kind.key} are never published; leave ${at}.public unset`,
        });
        continue;
      }
      const unpublishable = isPublic ? publicationProblem(file) : null;
      if (unpublishable) {
        problems.push({ field: `${at}.public`, message: unpublishable });
        continue;
      }
      const published =
        isPublic && file.publishedSha256 ? await this.files.find(file.publishedSha256) : undefined;
      inputs.push({
        fileId: file.sha256,
        name: file.name,
        contentType: file.contentType,
        size: Number(file.size),
        public: isPublic,
        published: published
          ? { sha256: published.sha256, contentType: published.contentType, size: Number(published.size) }
          : null,
      });
    }
    return { inputs, problems };
  }
}
