/**
 * Activity implementations: the only place workflows touch the world. Each is a Nest injectable;
 * `bindActivities` binds their methods under the names the workflows' proxies call.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Activities } from '@openccs/contracts';
import { ProjectSetupActivitiesService } from './project-setup.activities';
import { ReportActivitiesService } from './report.activities';

export { ProjectSetupActivitiesService, ReportActivitiesService };

export const ACTIVITY_PROVIDERS = [ProjectSetupActivitiesService, ReportActivitiesService];

export function bindActivities(app: INestApplicationContext): Activities {
  const projectSetup = app.get(ProjectSetupActivitiesService);
  const reports = app.get(ReportActivitiesService);
  return {
    seedDefaultApprovalLines: projectSetup.seedDefaultApprovalLines.bind(projectSetup),
    resolveAssignees: reports.resolveAssignees.bind(reports),
    projectReport: reports.projectReport.bind(reports),
  };
}
