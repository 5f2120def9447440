/**
 * Activity implementations: the only place workflows touch the world. Each is a Nest injectable;
 * `bindActivities` binds their methods under the names the workflows' proxies call.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Activities } from '@openccs/contracts';
import { ProjectSetupActivitiesService } from './project-setup.activities';

export { ProjectSetupActivitiesService };

export const ACTIVITY_PROVIDERS = [ProjectSetupActivitiesService];

export function bindActivities(app: INestApplicationContext): Activities {
  const projectSetup = app.get(ProjectSetupActivitiesService);
  return {
    seedDefaultApprovalLines: projectSetup.seedDefaultApprovalLines.bind(projectSetup),
  };
}
