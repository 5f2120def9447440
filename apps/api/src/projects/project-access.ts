/**
 * Who may see a project and what role they play on it: the one rule behind every project and
 * report read. Anyone who may not read a project is told it does not exist, so ids cannot be probed.
 */
import { Injectable } from '@nestjs/common';
import { actingRole, DomainError, type ProjectRole } from '@openccs/domain';
import { ProjectsRepository, type ProjectEntity } from '@openccs/persistence';
import type { Principal } from '../auth/principal';

export function seesEveryProject(actor: Principal): boolean {
  return actor.systemRole === 'admin' || actor.systemRole === 'auditor';
}

@Injectable()
export class ProjectAccess {
  constructor(private readonly projects: ProjectsRepository) {}

  /**
   * The project, if `actor` may read it (member, admin or auditor); else `project.not_found`.
   * `role` is the role the actor acts in now (`actingRole`), `null` for a non-member.
   */
  async readable(
    projectId: string,
    actor: Principal,
  ): Promise<{ project: ProjectEntity; role: ProjectRole | null }> {
    const project = await this.projects.findById(projectId);
    const membership = project ? await this.projects.membership(projectId, actor.id) : null;
    if (!project || (membership === null && !seesEveryProject(actor))) {
      throw new DomainError('project.not_found', `No project ${projectId} that you can read.`);
    }
    return { project, role: actingRole(membership) };
  }

  /** The role `userId` acts in on the project now, or `null`. */
  async roleOf(projectId: string, userId: string): Promise<ProjectRole | null> {
    return actingRole(await this.projects.membership(projectId, userId));
  }
}
