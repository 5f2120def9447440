/**
 * Activity implementations: the only place workflows touch the world. Each is a Nest injectable;
 * `bindActivities` binds their methods under the names the workflows' proxies call.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Activities } from '@openccs/contracts';
import { ProjectSetupActivitiesService } from './project-setup.activities';
import { DisclosureActivitiesService } from './disclosure.activities';
import { FeedbackActivitiesService } from './feedback.activities';
import { NotificationActivitiesService } from './notification.activities';
import { ReportActivitiesService } from './report.activities';

export {
  DisclosureActivitiesService,
  FeedbackActivitiesService,
  NotificationActivitiesService,
  ProjectSetupActivitiesService,
  ReportActivitiesService,
};
export { signWebhook, verifyWebhook } from './webhook-signature';
export { ActivityFailures, permanent, permanentFailure } from './failures';

export const ACTIVITY_PROVIDERS = [
  DisclosureActivitiesService,
  FeedbackActivitiesService,
  NotificationActivitiesService,
  ProjectSetupActivitiesService,
  ReportActivitiesService,
];

export function bindActivities(app: INestApplicationContext): Activities {
  const projectSetup = app.get(ProjectSetupActivitiesService);
  const reports = app.get(ReportActivitiesService);
  const notifications = app.get(NotificationActivitiesService);
  const disclosure = app.get(DisclosureActivitiesService);
  const feedback = app.get(FeedbackActivitiesService);
  return {
    feedbackAssignees: feedback.feedbackAssignees.bind(feedback),
    projectFeedback: feedback.projectFeedback.bind(feedback),
    publishFeedback: feedback.publishFeedback.bind(feedback),
    forgetFeedbackContact: feedback.forgetFeedbackContact.bind(feedback),
    seedDefaultApprovalLines: projectSetup.seedDefaultApprovalLines.bind(projectSetup),
    resolveAssignees: reports.resolveAssignees.bind(reports),
    projectReport: reports.projectReport.bind(reports),
    projectReportOnce: reports.projectReportOnce.bind(reports),
    reportProblem: reports.reportProblem.bind(reports),
    reportsAssignedTo: reports.reportsAssignedTo.bind(reports),
    notify: notifications.notify.bind(notifications),
    deliverWebhook: notifications.deliverWebhook.bind(notifications),
    markDeliveryFailed: notifications.markDeliveryFailed.bind(notifications),
    publishStep: disclosure.publishStep.bind(disclosure),
  };
}
