import { Injectable } from '@nestjs/common';
import type { ReportActivities, ReportEvent } from '@openccs/contracts';
import type { ProjectRole, ReportState } from '@openccs/domain';
import { ProjectsRepository, ReportsRepository } from '@openccs/persistence';

@Injectable()
export class ReportActivitiesService implements ReportActivities {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly reports: ReportsRepository,
  ) {}

  resolveAssignees(projectId: string, role: ProjectRole): Promise<string[]> {
    return this.projects.memberIdsWithRole(projectId, role);
  }

  async projectReport(state: ReportState, event: ReportEvent): Promise<void> {
    await this.reports.project(state, {
      actorUserId: event.actorId,
      action: event.action,
      subjectType: 'report',
      subjectId: state.reportId,
      requestId: event.requestId,
      details: { ...event.details, revision: state.revision, status: state.status, version: state.version },
    });
  }
}
