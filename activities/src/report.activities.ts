import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import {
  reportWorkflowId,
  type MembershipChangeInput,
  type ReportActivities,
  type ReportEvent,
} from '@openccs/contracts';
import type { ProjectRole, ReportState } from '@openccs/domain';
import {
  type AuditEntry,
  AuditLogRepository,
  ProjectsRepository,
  ReportsRepository,
  WorkflowProblemsRepository,
} from '@openccs/persistence';

@Injectable()
export class ReportActivitiesService implements ReportActivities {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly reports: ReportsRepository,
    private readonly problems: WorkflowProblemsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  resolveAssignees(projectId: string, role: ProjectRole): Promise<string[]> {
    return this.projects.memberIdsWithRole(projectId, role);
  }

  async projectReport(state: ReportState, event: ReportEvent): Promise<void> {
    await this.reports.project(state, this.auditEntry(state, event));
  }

  async projectReportOnce(state: ReportState, event: ReportEvent): Promise<ReportState> {
    if (await this.reports.project(state, this.auditEntry(state, event))) return state;
    // Not written: a lost attempt of this change stored its version first (adopt it), or the
    // stored version is newer (nothing to do, as for projectReport).
    return (
      (await this.reports.storedChange(state.reportId, state.version, event.action, event.actorId)) ?? state
    );
  }

  private auditEntry(state: ReportState, event: ReportEvent): AuditEntry {
    return {
      actorUserId: event.actorId,
      action: event.action,
      subjectType: 'report',
      subjectId: state.reportId,
      requestId: event.requestId,
      details: { ...event.details, revision: state.revision, status: state.status, version: state.version },
    };
  }

  async reportProblem(reportId: string, source: string, detail: string): Promise<void> {
    await this.problems.record(reportWorkflowId(reportId), source, 'activity_refused', 1, detail);
  }

  async reportsAssignedTo(change: MembershipChangeInput): Promise<string[]> {
    if (!(await this.audit.committed(change.auditEventId))) {
      // Retryable: the transaction that started this may not have committed yet (or rolled back,
      // in which case the workflow gives up after its attempts, having changed nothing).
      throw ApplicationFailure.retryable(
        `change ${change.auditEventId} is not visible yet`,
        'change.not_committed',
      );
    }
    return this.reports.openAssignedTo(change.userId, change.projectId);
  }
}
