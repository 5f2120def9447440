export * from './approval-lines.repository';
export * from './audit.repository';
export * from './console-sessions.repository';
export * from './disclosure.repository';
export * from './documents.repository';
export * from './escalations.repository';
export * from './feedback.repository';
export * from './files.repository';
export * from './idempotency.repository';
export * from './login-attempts.repository';
export * from './notifications.repository';
export * from './operations.repository';
export * from './organizations.repository';
export * from './projects.repository';
export * from './public-projects.repository';
export * from './reports.repository';
export * from './users.repository';
export * from './workflow-problems.repository';

import { ApprovalLinesRepository } from './approval-lines.repository';
import { AuditLogRepository, AuditRepository } from './audit.repository';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { DisclosureRepository } from './disclosure.repository';
import { DocumentsRepository } from './documents.repository';
import { EscalationsRepository } from './escalations.repository';
import { FeedbackRepository } from './feedback.repository';
import { FilesRepository } from './files.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { LoginAttemptsRepository } from './login-attempts.repository';
import { NotificationsRepository } from './notifications.repository';
import { OperationsRepository } from './operations.repository';
import { OrganizationsRepository } from './organizations.repository';
import { ProjectsRepository } from './projects.repository';
import { PublicProjectsRepository } from './public-projects.repository';
import { ReportsRepository } from './reports.repository';
import { UsersRepository } from './users.repository';
import { WorkflowProblemsRepository } from './workflow-problems.repository';

export const REPOSITORIES = [
  ApprovalLinesRepository,
  AuditRepository,
  AuditLogRepository,
  ConsoleSessionsRepository,
  DisclosureRepository,
  DocumentsRepository,
  EscalationsRepository,
  FeedbackRepository,
  FilesRepository,
  IdempotencyRepository,
  LoginAttemptsRepository,
  NotificationsRepository,
  OperationsRepository,
  OrganizationsRepository,
  ProjectsRepository,
  PublicProjectsRepository,
  ReportsRepository,
  UsersRepository,
  WorkflowProblemsRepository,
];
