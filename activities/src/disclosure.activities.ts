import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { ACTIVITY_FAILURE, type DisclosureActivities } from '@openccs/contracts';
import {
  appendRecord,
  logSignerOf,
  publishable,
  recordOf,
  type LogSigner,
  type RecordFacts,
} from '@openccs/disclosure';
import type { ReportState } from '@openccs/domain';
import { InjectProfile, type Profile } from '@openccs/profile';
import {
  DisclosureRepository,
  OrganizationsRepository,
  ProjectsRepository,
  UsersRepository,
} from '@openccs/persistence';
import { permanent } from './failures';

@Injectable()
export class DisclosureActivitiesService implements DisclosureActivities {
  private readonly signer: LogSigner;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectProfile() private readonly profile: Profile,
    private readonly log: DisclosureRepository,
    private readonly projects: ProjectsRepository,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
  ) {
    const signer = logSignerOf(config.disclosure);
    if (!signer) throw new Error('LOG_SIGNING_KEY is required to publish the disclosure log');
    this.signer = signer;
  }

  /**
   * Publishes the finished step `stepKey` of `state` once: its publication key is (report,
   * revision, step, outcome), so retries, crashes and replays never add a second record. What the
   * record says is `recordOf`'s (libs/disclosure); this only fetches the facts and appends.
   */
  async publishStep(state: ReportState, stepKey: string): Promise<number | null> {
    const found = publishable(state, stepKey);
    if (!found.publish) {
      if (state.steps.some((s) => s.key === stepKey && !s.public)) return null;
      throw permanent(ACTIVITY_FAILURE.notPublishable, found.reason);
    }
    const project = await this.projects.findById(state.projectId);
    const actor = await this.users.findById(found.decision.actorId);
    const organization = actor ? await this.organizations.findById(actor.organizationId) : null;
    if (!project || !actor || !organization) {
      throw permanent(
        ACTIVITY_FAILURE.recordIncomplete,
        `cannot describe step ${stepKey} of report ${state.reportId}`,
      );
    }
    const facts: RecordFacts = {
      project: { code: project.code, title: project.title },
      actor: {
        organization: organization.name,
        organizationKind: organization.kind,
        displayName: actor.displayName,
      },
      officialsNamed: this.profile.officialsNamed,
    };
    const entry = await this.log.appendOnce(
      found.key,
      { projectId: state.projectId, reportId: state.reportId },
      (tail) =>
        appendRecord(
          tail,
          recordOf(state, found, facts, {
            seq: tail.size,
            id: randomUUID(),
            publishedAt: new Date().toISOString(),
          }),
          this.signer,
        ),
    );
    return entry.record.seq;
  }
}
