import { Inject, Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import type { DisclosureActivities } from '@openccs/contracts';
import { parsePrivateKey, publicBody, signTreeHead, type DisclosureRecord } from '@openccs/disclosure';
import { parseIsoDuration, type ProjectRole, type ReportState } from '@openccs/domain';
import {
  DisclosureRepository,
  OrganizationsRepository,
  ProjectsRepository,
  UsersRepository,
} from '@openccs/persistence';

@Injectable()
export class DisclosureActivitiesService implements DisclosureActivities {
  private readonly key: KeyObject;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: DisclosureRepository,
    private readonly projects: ProjectsRepository,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
  ) {
    if (!config.disclosure.signingKey)
      throw new Error('LOG_SIGNING_KEY is required to publish the disclosure log');
    this.key = parsePrivateKey(config.disclosure.signingKey);
  }

  /**
   * Publishes the finished step `stepKey` of `state` once: its idempotency key is (report,
   * revision, step, outcome), so retries, crashes and replays never add a second record.
   */
  async publishStep(state: ReportState, stepKey: string): Promise<number | null> {
    const step = state.steps.find((s) => s.key === stepKey);
    if (!step || !step.public) return null;
    if (step.status !== 'approved' && step.status !== 'rejected' && step.status !== 'returned') {
      throw ApplicationFailure.nonRetryable(
        `step ${stepKey} is ${step.status}, not finished`,
        'disclosure.not_finished',
      );
    }
    const decision = [...state.decisions]
      .reverse()
      .find((d) => d.revision === state.revision && d.stepKey === stepKey);
    const project = await this.projects.findById(state.projectId);
    const actor = decision ? await this.users.findById(decision.actorId) : null;
    const organization = actor ? await this.organizations.findById(actor.organizationId) : null;
    if (!decision || !project || !actor || !organization) {
      throw ApplicationFailure.nonRetryable(
        `cannot describe step ${stepKey} of report ${state.reportId}`,
        'disclosure.incomplete',
      );
    }
    const escalation = decision.onBehalf
      ? step.escalations.find((e) => e.id === decision.onBehalf?.escalationId)
      : undefined;
    const role: ProjectRole = escalation?.toRole ?? step.assigneeRole;
    const openedAt = step.openedAt ?? decision.at;
    const decidedAt = step.closedAt ?? decision.at;
    const dueAt = step.dueAt ?? decidedAt;
    const key = `${state.reportId}:${state.revision}:${step.key}:${step.status}`;
    const { entry } = await this.log.append(
      key,
      { projectId: state.projectId, reportId: state.reportId },
      (seq, id, publishedAt): DisclosureRecord => ({
        seq,
        id,
        publishedAt,
        project: { code: project.code, title: project.title },
        report: {
          id: state.reportId,
          kind: state.kind,
          title: state.title,
          publicSummary: state.publicSummary,
          revision: state.revision,
          status: state.status,
          amount: state.amount,
          body: publicBody(state.kind, state.body),
        },
        step: {
          key: step.key,
          name: step.name,
          outcome: step.status as 'approved' | 'rejected' | 'returned',
          openedAt,
          decidedAt,
          dueAt,
          slaSeconds: parseIsoDuration(step.sla) ?? 0,
          takenSeconds: Math.round((Date.parse(decidedAt) - Date.parse(openedAt)) / 1000),
          onTime: decidedAt <= dueAt,
        },
        actor: {
          organization: organization.name,
          organizationKind: organization.kind,
          role,
          // Officials may be named by deployment setting; private-company staff never are.
          name:
            this.config.disclosure.officialNames && organization.kind === 'agency' ? actor.displayName : null,
        },
        onBehalf: decision.onBehalf ? { justification: decision.onBehalf.justification } : null,
        escalations: step.escalations.map((e) => ({
          level: e.level,
          ...(e.reason === 'unassigned' ? { reason: 'unassigned' as const } : {}),
          toRole: e.toRole,
          openedAt: e.openedAt,
          resolution: e.resolution
            ? { action: e.resolution.action, justification: e.resolution.justification, at: e.resolution.at }
            : null,
        })),
      }),
      (head) => signTreeHead(head, this.key),
    );
    return entry.record.seq;
  }
}
