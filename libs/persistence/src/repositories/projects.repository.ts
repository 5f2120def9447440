import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProjectRole, ProjectStatus } from '@openccs/domain';
import { ProjectEntity, ProjectMemberEntity } from '../entities';

export interface NewProject {
  code: string;
  title: string;
  agencyOrganizationId: string;
  description: string | null;
  location: string | null;
  contractAmount: number | null;
  contractCurrency: string | null;
  startDate: string | null;
  endDate: string | null;
  status: ProjectStatus;
  deadlineBasis?: 'calendar' | 'working';
}

@Injectable()
export class ProjectsRepository {
  constructor(private readonly ds: DataSource) {}

  insert(tx: EntityManager, values: NewProject): Promise<ProjectEntity> {
    return tx.save(tx.create(ProjectEntity, values));
  }

  findById(id: string, tx: EntityManager = this.ds.manager): Promise<ProjectEntity | null> {
    return tx.findOneBy(ProjectEntity, { id });
  }

  /** Projects visible to `userId` through membership, in id order (cursor = last id seen). */
  async listForMember(
    userId: string | undefined,
    page: { limit: number; after?: string },
  ): Promise<ProjectEntity[]> {
    const q = this.ds.manager.createQueryBuilder(ProjectEntity, 'p').orderBy('p.id', 'ASC').limit(page.limit);
    if (userId !== undefined) {
      q.innerJoin(ProjectMemberEntity, 'm', 'm.project_id = p.id AND m.user_id = :userId', { userId });
    }
    if (page.after) q.andWhere('p.id > :after', { after: page.after });
    return q.getMany();
  }

  findMember(projectId: string, userId: string, tx: EntityManager = this.ds.manager) {
    return tx.findOneBy(ProjectMemberEntity, { projectId, userId });
  }

  /** Ids of the active users holding `role` on the project now. */
  async memberIdsWithRole(projectId: string, role: ProjectRole): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await this.ds.query(
      `SELECT m.user_id FROM project_members m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1 AND m.role = $2 AND u.active ORDER BY m.user_id`,
      [projectId, role],
    );
    return rows.map((r) => r.user_id);
  }

  listMembers(projectId: string): Promise<ProjectMemberEntity[]> {
    return this.ds.manager.find(ProjectMemberEntity, { where: { projectId }, order: { createdAt: 'ASC' } });
  }

  /** Sets the member's role; returns the previous role, `undefined` when the user was not a member. */
  async upsertMember(
    tx: EntityManager,
    projectId: string,
    userId: string,
    role: ProjectRole,
  ): Promise<{ member: ProjectMemberEntity; previousRole: ProjectRole | undefined }> {
    const existing = await tx.findOne(ProjectMemberEntity, {
      where: { projectId, userId },
      lock: { mode: 'pessimistic_write' },
    });
    if (existing) {
      const previousRole = existing.role;
      existing.role = role;
      return { member: await tx.save(existing), previousRole };
    }
    return {
      member: await tx.save(tx.create(ProjectMemberEntity, { projectId, userId, role })),
      previousRole: undefined,
    };
  }
}
