export * from './approval-lines.repository';
export * from './audit.repository';
export * from './organizations.repository';
export * from './projects.repository';
export * from './users.repository';

import { ApprovalLinesRepository } from './approval-lines.repository';
import { AuditRepository } from './audit.repository';
import { OrganizationsRepository } from './organizations.repository';
import { ProjectsRepository } from './projects.repository';
import { UsersRepository } from './users.repository';

export const REPOSITORIES = [
  ApprovalLinesRepository,
  AuditRepository,
  OrganizationsRepository,
  ProjectsRepository,
  UsersRepository,
];
