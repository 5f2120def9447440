/**
 * What the feedback workflow does to the world: who answers (the holders of the routed roles),
 * the read model, the public record of a round, and forgetting the citizen's contact.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { ACTIVITY_FAILURE, type FeedbackActivities } from '@openccs/contracts';
import { appendRecord, feedbackRecordOf, logSignerOf, type LogSigner } from '@openccs/disclosure';
import { escalatedRoles, type FeedbackState, type ProjectRole } from '@openccs/domain';
import { InjectProfile, type Profile } from '@openccs/profile';
import {
  DisclosureRepository,
  FeedbackRepository,
  OrganizationsRepository,
  ProjectsRepository,
  UsersRepository,
} from '@openccs/persistence';
import { permanent } from './failures';

@Injectable()
export class FeedbackActivitiesService implements FeedbackActivities {
  private readonly signer: LogSigner;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectProfile() private readonly profile: Profile,
    private readonly feedback: FeedbackRepository,
    private readonly log: DisclosureRepository,
    private readonly projects: ProjectsRepository,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
  ) {
    const signer = logSignerOf(config.disclosure);
    if (!signer) throw new Error('LOG_SIGNING_KEY is required to publish feedback');
    this.signer = signer;
  }

  async feedbackAssignees(projectId: string, roles: readonly ProjectRole[]): Promise<string[]> {
    const ids: string[] = [];
    for (const role of roles) ids.push(...(await this.projects.memberIdsWithRole(projectId, role)));
    return [...new Set(ids)];
  }

  async projectFeedback(state: FeedbackState, version: number): Promise<void> {
    if (!(await this.feedback.project(state, version, escalatedRoles(state))))
      // Retried: the submission that stores it may not have committed yet (the workflow starts inside it).
      throw new Error(`feedback ${state.id} is not stored (yet)`);
  }

  /** Publishes a round once: its key is (feedback, round, event), whatever retries happen. */
  async publishFeedback(
    state: FeedbackState,
    round: number,
    event: 'answered' | 'overdue' | 'withheld',
  ): Promise<number> {
    const project = await this.projects.findById(state.projectId);
    if (!project) throw permanent(ACTIVITY_FAILURE.recordIncomplete, `no project ${state.projectId}`);
    const answerer =
      event === 'answered' && state.answer ? await this.users.findById(state.answer.by.userId) : null;
    const organization = answerer ? await this.organizations.findById(answerer.organizationId) : null;
    const entry = await this.log.appendOnce(
      `feedback:${state.id}:${round}:${event}`,
      { projectId: state.projectId, reportId: null },
      (tail) =>
        appendRecord(
          tail,
          feedbackRecordOf(
            state,
            round,
            event,
            {
              project: { code: project.code, title: project.title },
              officialsNamed: this.profile.officialsNamed,
              actorKind: organization?.kind ?? null,
            },
            { seq: tail.size, id: randomUUID(), publishedAt: new Date().toISOString() },
          ),
          this.signer,
        ),
    );
    return entry.record.seq;
  }

  async forgetFeedbackContact(feedbackId: string): Promise<void> {
    await this.feedback.forgetContact(feedbackId);
  }
}
