import { ApprovalLineEntity } from './approval-line.entity';
import { AuditEventEntity } from './audit-event.entity';
import { OrganizationEntity } from './organization.entity';
import { ProjectMemberEntity } from './project-member.entity';
import { ProjectEntity } from './project.entity';
import { UserEntity } from './user.entity';

export {
  ApprovalLineEntity,
  AuditEventEntity,
  OrganizationEntity,
  ProjectEntity,
  ProjectMemberEntity,
  UserEntity,
};

export const ENTITIES = [
  ApprovalLineEntity,
  AuditEventEntity,
  OrganizationEntity,
  ProjectEntity,
  ProjectMemberEntity,
  UserEntity,
];
