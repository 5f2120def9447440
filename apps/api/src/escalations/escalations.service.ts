import { Injectable } from '@nestjs/common';
import { REPORT_COMMANDS } from '@openccs/contracts';
import { DomainError } from '@openccs/domain';
import { EscalationsRepository, ReportsRepository } from '@openccs/persistence';
import type { Principal } from '../auth/principal';
import { byInstantAndId, paginate, type Page } from '../common/pagination';
import type { RequestContext } from '../common/request-context';
import { ProjectAccess } from '../projects/project-access';
import { ReportView } from '../reports/reports.dto';
import { ReportWorkflows } from '../temporal/report-workflows';
import {
  EscalationView,
  type EscalationsQuery,
  type ResolveEscalationRequest,
  type ResolveEscalationResponse,
} from './escalations.dto';

@Injectable()
export class EscalationsService {
  constructor(
    private readonly escalations: EscalationsRepository,
    private readonly reports: ReportsRepository,
    private readonly access: ProjectAccess,
    private readonly workflows: ReportWorkflows,
  ) {}

  /** The escalations the caller handles: those raised to a role they hold on the project. */
  list(actor: Principal, query: EscalationsQuery): Promise<Page<EscalationView>> {
    return paginate(
      query,
      (page) => this.escalations.forHandler(actor.id, query.status ?? 'open', page),
      byInstantAndId('openedAt', 'id'),
      EscalationView.of,
    );
  }

  /** The report an escalation is about, if `actor` may read its project. */
  async reportOf(id: string, actor: Principal): Promise<string | undefined> {
    const row = await this.escalations.findById(id);
    if (!row) return undefined;
    return this.access.readable(row.projectId, actor).then(
      () => row.reportId,
      () => undefined,
    );
  }

  async resolve(
    id: string,
    body: ResolveEscalationRequest,
    ctx: RequestContext,
  ): Promise<ResolveEscalationResponse> {
    const row = await this.escalations.findById(id);
    const notFound = () => new DomainError('escalation.not_found', `No escalation ${id} that you can see.`);
    if (!row) throw notFound();
    const { role } = await this.access.readable(row.projectId, ctx.actor).catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'project.not_found' ? notFound() : err;
    });
    const report = await this.reports.findById(row.reportId);
    if (!report) throw notFound();
    // Whether this person may resolve it, and whether it is still open, is the domain's to say.
    const state = await this.workflows.command(report.state, REPORT_COMMANDS.resolveEscalation, {
      escalationId: id,
      actorId: ctx.actor.id,
      actorRole: role,
      action: body.action,
      justification: body.justification.trim(),
      toUserId: body.toUserId ?? null,
      toUserRole: body.toUserId ? await this.access.roleOf(row.projectId, body.toUserId) : null,
      extendBy: body.extendBy ?? null,
      requestKey: ctx.requestKey,
      requestId: ctx.requestId,
    });
    const resolved = await this.escalations.findById(id);
    return { escalation: EscalationView.of(resolved ?? row), report: ReportView.of(state) };
  }
}
