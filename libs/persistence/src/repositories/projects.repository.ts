import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { actingRole, type Membership, type ProjectRole, type ProjectStatus } from '@openccs/domain';
import { ProjectEntity, ProjectMemberEntity } from '../entities';

export interface NewProject {
  code: string;
  title: string;
  agencyOrganizationId: string;
  description: string | null;
  location: string | null;
  latitude?: number | null;
  longitude?: number | null;
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

  /** Saves changed columns of a project (locked by the caller). */
  async update(tx: EntityManager, id: string, values: Partial<NewProject>): Promise<ProjectEntity> {
    await tx.update(ProjectEntity, { id }, values);
    return tx.findOneByOrFail(ProjectEntity, { id });
  }

  /** The project, locked until `tx` ends: membership changes of one project go one at a time. */
  lock(tx: EntityManager, id: string): Promise<ProjectEntity | null> {
    return tx.findOne(ProjectEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
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

  /** The user's membership with the account behind it, for the rules to read (`actingRole`). */
  async membership(projectId: string, userId: string): Promise<Membership | null> {
    const rows: Membership[] = await this.ds.query(
      `SELECT m.role, u.active, u.system_role AS "systemRole"
         FROM project_members m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1 AND m.user_id = $2`,
      [projectId, userId],
    );
    return rows[0] ?? null;
  }

  /** Ids of the users who act in `role` on the project now (`actingRole`). */
  async memberIdsWithRole(projectId: string, role: ProjectRole): Promise<string[]> {
    const rows: Array<Membership & { userId: string }> = await this.ds.query(
      `SELECT m.user_id AS "userId", m.role, u.active, u.system_role AS "systemRole"
         FROM project_members m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1 AND m.role = $2 ORDER BY m.user_id`,
      [projectId, role],
    );
    return rows.filter((m) => actingRole(m) === role).map((m) => m.userId);
  }

  /** How many members hold `role` on the project (active or not). */
  async countWithRole(tx: EntityManager, projectId: string, role: ProjectRole): Promise<number> {
    const rows: Array<{ n: number }> = await tx.query(
      `SELECT count(*)::int AS n FROM project_members WHERE project_id = $1 AND role = $2`,
      [projectId, role],
    );
    return rows[0]?.n ?? 0;
  }

  /** Removes the membership; returns the role it had, `undefined` when there was none. */
  async removeMember(tx: EntityManager, projectId: string, userId: string): Promise<ProjectRole | undefined> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [rows]: [Array<{ role: ProjectRole }>, number] = await tx.query(
      `DELETE FROM project_members WHERE project_id = $1 AND user_id = $2 RETURNING role`,
      [projectId, userId],
    );
    return rows[0]?.role;
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
