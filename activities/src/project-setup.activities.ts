import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import type { ProjectSetupActivities, ProjectSetupResult } from '@openccs/contracts';
import { ApprovalLinesRepository, ProjectsRepository } from '@openccs/persistence';
import { InjectProfile, type Profile } from '@openccs/profile';

@Injectable()
export class ProjectSetupActivitiesService implements ProjectSetupActivities {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly approvalLines: ApprovalLinesRepository,
    @InjectProfile() private readonly profile: Profile,
  ) {}

  async seedDefaultApprovalLines(projectId: string): Promise<ProjectSetupResult> {
    if (!(await this.projects.findById(projectId))) {
      // Retryable: the creating transaction may not have committed yet.
      throw ApplicationFailure.retryable(`project ${projectId} is not visible yet`, 'project.not_committed');
    }
    return { approvalLinesCreated: await this.approvalLines.seedDefaults(projectId, this.profile.kinds) };
  }
}
