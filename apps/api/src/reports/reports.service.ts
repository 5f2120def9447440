import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { createHash, randomUUID } from 'node:crypto';
import { decideUpdate, delegateUpdate, resubmitUpdate, withdrawUpdate } from '@openccs/contracts';
import {
  CALENDAR_TIME,
  CALENDARS,
  DEFAULT_APPROVAL_LINES,
  DomainError,
  isClosed,
  KINDS_WITH_AMOUNT,
  type ReportKind,
} from '@openccs/domain';
import { ApprovalLinesRepository, ReportsRepository, type ReportRow } from '@openccs/persistence';
import type { Principal } from '../auth/principal';
import { byInstantAndId, paginate, type Page, type PageQuery } from '../common/pagination';
import type { RequestContext } from '../common/request-context';
import { ProjectAccess } from '../projects/project-access';
import { ReportWorkflows } from '../temporal/report-workflows';
import {
  InboxItem,
  ReportView,
  type DecisionRequest,
  type DelegationRequest,
  type ReportAmount,
  type ResubmitRequest,
  type SubmitReportRequest,
} from './reports.dto';

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
    private readonly access: ProjectAccess,
    private readonly lines: ApprovalLinesRepository,
    private readonly reports: ReportsRepository,
    private readonly workflows: ReportWorkflows,
  ) {}

  async submit(projectId: string, body: SubmitReportRequest, ctx: RequestContext): Promise<ReportView> {
    const { project, role } = await this.access.readable(projectId, ctx.actor);
    if (role !== 'contractor') {
      throw new DomainError('access.forbidden', "Only the project's contractors submit reports.");
    }
    checkAmount(body.kind, body.amount);
    const line = await this.lines.inForce(projectId, body.kind);
    const state = await this.workflows.start({
      submission: {
        reportId: ctx.idempotent ? uuidFrom(ctx.requestKey) : randomUUID(),
        projectId,
        kind: body.kind,
        submitterId: ctx.actor.id,
        // A project's lines are seeded right after it is created; until then its defaults are version 1.
        lineVersion: line?.version ?? 1,
        line: line?.steps ?? [...DEFAULT_APPROVAL_LINES[body.kind]],
        title: body.title.trim(),
        body: body.body ?? {},
        publicSummary: body.publicSummary ?? null,
        amount: body.amount ? { value: body.amount.value, currency: body.amount.currency } : null,
        timing: {
          basis:
            project.deadlineBasis === 'working'
              ? { kind: 'working', calendar: CALENDARS[this.config.deadlines.calendar] }
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
    const row = await this.open(reportId, ctx.actor);
    const state = await this.workflows.command(reportId, decideUpdate, {
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
    const row = await this.open(reportId, ctx.actor);
    const state = await this.workflows.command(reportId, delegateUpdate, {
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
    const row = await this.open(reportId, ctx.actor);
    if (body.amount !== undefined) checkAmount(row.state.kind, body.amount);
    const state = await this.workflows.command(reportId, resubmitUpdate, {
      actorId: ctx.actor.id,
      changes: {
        ...(body.title !== undefined ? { title: body.title.trim() } : {}),
        ...(body.body !== undefined ? { body: body.body } : {}),
        ...(body.publicSummary !== undefined ? { publicSummary: body.publicSummary } : {}),
        ...(body.amount !== undefined
          ? { amount: { value: body.amount.value, currency: body.amount.currency } }
          : {}),
      },
      comment: body.comment ?? null,
      requestKey: ctx.requestKey,
      requestId: ctx.requestId,
    });
    return ReportView.of(state);
  }

  async withdraw(reportId: string, ctx: RequestContext): Promise<ReportView> {
    await this.open(reportId, ctx.actor);
    const state = await this.workflows.command(reportId, withdrawUpdate, {
      actorId: ctx.actor.id,
      requestKey: ctx.requestKey,
      requestId: ctx.requestId,
    });
    return ReportView.of(state);
  }

  inbox(actor: Principal, query: PageQuery): Promise<Page<InboxItem>> {
    return paginate(
      query,
      (page) => this.reports.inbox(actor.id, page),
      byInstantAndId('openedAt', 'reportId'),
      (row) => ({
        ...row,
        openedAt: new Date(row.openedAt).toISOString(),
        dueAt: row.dueAt ? new Date(row.dueAt).toISOString() : null,
      }),
    );
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

  /** A readable report that can still change; a closed one is refused here without asking the workflow. */
  private async open(reportId: string, actor: Principal): Promise<ReportRow> {
    const row = await this.readable(reportId, actor);
    if (isClosed(row))
      throw new DomainError('report.closed', `The report is ${row.status}; it cannot change any more.`);
    return row;
  }
}

function checkAmount(kind: ReportKind, amount: ReportAmount | undefined): void {
  if (!KINDS_WITH_AMOUNT.has(kind)) {
    if (amount !== undefined) {
      throw new DomainError('report.invalid', `A ${kind} has no amount.`, 'amount');
    }
    return;
  }
  if (amount === undefined) throw new DomainError('report.invalid', `A ${kind} needs an amount.`, 'amount');
  if (kind === 'progress_payment' && amount.value <= 0) {
    throw new DomainError('report.invalid', 'A payment claim must be for a positive amount.', 'amount.value');
  }
}
