import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DECIDING_ROLES,
  DomainError,
  MAX_ROLE_MEMBERS,
  PROJECT_ROLES_OF,
  ROLE_ORGANIZATION_KINDS,
} from '@openccs/domain';
import {
  AuditRepository,
  isUniqueViolation,
  OrganizationsRepository,
  ProjectsRepository,
  UsersRepository,
} from '@openccs/persistence';
import { InjectProfile, type Profile } from '@openccs/profile';
import { byId, paginate, type Page, type PageQuery } from '../common/pagination';
import type { RequestContext } from '../common/request-context';
import { WorkflowStarter } from '../temporal/workflow-starter';
import {
  MemberView,
  ProjectView,
  type CreateProjectRequest,
  type SetMemberRequest,
  type UpdateProjectRequest,
} from './projects.dto';
import type { Principal } from '../auth/principal';
import { ProjectAccess, seesEveryProject } from './project-access';
import { ProjectSheets } from './project-sheets';

@Injectable()
export class ProjectsService {
  constructor(
    private readonly ds: DataSource,
    private readonly projects: ProjectsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly workflows: WorkflowStarter,
    private readonly access: ProjectAccess,
    @InjectProfile() private readonly profile: Profile,
    private readonly sheets: ProjectSheets,
  ) {}

  /**
   * Creates the project and starts its setup workflow inside one transaction: if Temporal refuses
   * the start, nothing is created; if the commit fails after the start, the workflow finds no
   * project and gives up. Either way there is never a project without its setup.
   */
  async create(body: CreateProjectRequest, ctx: RequestContext): Promise<ProjectView> {
    try {
      return await this.ds.transaction(async (tx) => {
        const agency = await this.organizations.findById(body.agencyOrganizationId, tx);
        if (!agency) {
          throw new DomainError(
            'request.unknown_reference',
            `No organization ${body.agencyOrganizationId}.`,
            'agencyOrganizationId',
          );
        }
        if (agency.kind !== 'agency') {
          throw new DomainError(
            'project.agency_not_an_agency',
            `${agency.name} is a ${agency.kind}, not an agency, so it cannot order a project.`,
            'agencyOrganizationId',
          );
        }
        const row = await this.projects.insert(tx, {
          code: body.code,
          title: body.title.trim(),
          agencyOrganizationId: agency.id,
          description: body.description ?? null,
          location: body.location?.address ?? null,
          latitude: body.location?.lat ?? null,
          longitude: body.location?.lon ?? null,
          contractAmount: body.contractAmount?.value ?? null,
          contractCurrency: body.contractAmount?.currency ?? null,
          startDate: body.startDate ?? null,
          endDate: body.endDate ?? null,
          status: body.status ?? 'planned',
          deadlineBasis: body.deadlineBasis ?? this.profile.defaults.deadlineBasis,
        });
        await this.audit.record(tx, {
          actorUserId: ctx.actor.id,
          action: 'project.create',
          subjectType: 'project',
          subjectId: row.id,
          requestId: ctx.requestId,
          details: { code: row.code, title: row.title },
        });
        await this.sheets.publish(tx, row.id);
        await this.workflows.projectSetup(row.id);
        return ProjectView.of(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DomainError(
          'project.code_taken',
          `A project with code ${body.code} exists already.`,
          'code',
        );
      }
      throw err;
    }
  }

  /** Changes a project's description, dates, amount, status or deadline basis; audited. */
  async update(projectId: string, body: UpdateProjectRequest, ctx: RequestContext): Promise<ProjectView> {
    return this.ds.transaction(async (tx) => {
      const row = await this.projects.lock(tx, projectId);
      if (!row) throw new DomainError('project.not_found', `No project ${projectId}.`);
      const changes = {
        ...(body.title !== undefined ? { title: body.title.trim() } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        // A location replaces the old one whole: an address alone clears the coordinates.
        ...(body.location !== undefined
          ? {
              location: body.location.address ?? null,
              latitude: body.location.lat ?? null,
              longitude: body.location.lon ?? null,
            }
          : {}),
        ...(body.contractAmount !== undefined
          ? { contractAmount: body.contractAmount.value, contractCurrency: body.contractAmount.currency }
          : {}),
        ...(body.startDate !== undefined ? { startDate: body.startDate } : {}),
        ...(body.endDate !== undefined ? { endDate: body.endDate } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
        ...(body.deadlineBasis !== undefined ? { deadlineBasis: body.deadlineBasis } : {}),
      };
      if (Object.keys(changes).length === 0)
        throw new DomainError(
          'request.invalid',
          'Send at least one field to change (title, description, location, contractAmount, startDate, endDate, status, deadlineBasis).',
          'body',
        );
      // The dates as they will be, not only as sent: an end before the kept start is refused.
      const start = changes.startDate ?? row.startDate;
      const end = changes.endDate ?? row.endDate;
      if (start && end && end < start)
        throw new DomainError('request.invalid', `endDate ${end} is before startDate ${start}.`, 'endDate');
      const saved = await this.projects.update(tx, projectId, changes);
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'project.update',
        subjectType: 'project',
        subjectId: projectId,
        requestId: ctx.requestId,
        details: { changed: Object.keys(changes) },
      });
      await this.sheets.publish(tx, projectId);
      return ProjectView.of(saved);
    });
  }

  async get(projectId: string, actor: Principal): Promise<ProjectView> {
    return ProjectView.of(await this.readable(projectId, actor));
  }

  list(query: PageQuery, actor: Principal): Promise<Page<ProjectView>> {
    const memberOf = seesEveryProject(actor) ? undefined : actor.id;
    return paginate(query, (page) => this.projects.listForMember(memberOf, page), byId(), ProjectView.of);
  }

  async members(projectId: string, actor: Principal): Promise<MemberView[]> {
    await this.readable(projectId, actor);
    return (await this.projects.listMembers(projectId)).map(MemberView.of);
  }

  async setMember(
    projectId: string,
    userId: string,
    body: SetMemberRequest,
    ctx: RequestContext,
  ): Promise<MemberView> {
    return this.ds.transaction(async (tx) => {
      if (!(await this.projects.lock(tx, projectId))) {
        throw new DomainError('project.not_found', `No project ${projectId}.`);
      }
      const user = await this.users.findById(userId, tx);
      if (!user) throw new DomainError('user.not_found', `No user ${userId}.`);
      if (!PROJECT_ROLES_OF[user.systemRole].includes(body.role)) {
        throw new DomainError(
          'member.role_not_allowed',
          `${user.username} is an ${user.systemRole}; administrators and auditors may only observe a project, never decide on it.`,
          'role',
        );
      }
      const organization = await this.organizations.findById(user.organizationId, tx);
      const allowed = ROLE_ORGANIZATION_KINDS[body.role];
      if (!organization || !allowed.includes(organization.kind)) {
        throw new DomainError(
          'member.role_not_allowed',
          `The role ${body.role} is for staff of ${allowed.join(' or ')} organizations; ${user.username} works for a ${organization?.kind ?? 'unknown'} organization.`,
          'role',
        );
      }
      const previous = await this.projects.findMember(projectId, userId, tx);
      if (
        DECIDING_ROLES.includes(body.role) &&
        previous?.role !== body.role &&
        (await this.projects.countWithRole(tx, projectId, body.role)) >= MAX_ROLE_MEMBERS
      ) {
        throw new DomainError(
          'member.limit_reached',
          `The project has ${MAX_ROLE_MEMBERS} members with the role ${body.role} already, the most a step can be assigned to.`,
          'role',
        );
      }
      const { member, previousRole } = await this.projects.upsertMember(tx, projectId, userId, body.role);
      const auditEventId = await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: previousRole === undefined ? 'project.member_add' : 'project.member_change_role',
        subjectType: 'project',
        subjectId: projectId,
        requestId: ctx.requestId,
        details: { userId, role: body.role, ...(previousRole ? { previousRole } : {}) },
      });
      // Someone who held a deciding role no longer does: their open steps must be re-checked.
      if (previousRole !== undefined && previousRole !== body.role && DECIDING_ROLES.includes(previousRole))
        await this.workflows.membershipChange({ auditEventId, userId, projectId });
      // A new organization or role on the project changes its public parties.
      await this.sheets.publish(tx, projectId);
      return MemberView.of(member);
    });
  }

  /** Ends a membership; the person leaves every open step of the project they were assigned. */
  async removeMember(projectId: string, userId: string, ctx: RequestContext): Promise<void> {
    await this.ds.transaction(async (tx) => {
      if (!(await this.projects.lock(tx, projectId))) {
        throw new DomainError('project.not_found', `No project ${projectId}.`);
      }
      const role = await this.projects.removeMember(tx, projectId, userId);
      if (role === undefined)
        throw new DomainError('member.not_found', `${userId} is not a member of this project.`);
      const auditEventId = await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'project.member_remove',
        subjectType: 'project',
        subjectId: projectId,
        requestId: ctx.requestId,
        details: { userId, previousRole: role },
      });
      if (DECIDING_ROLES.includes(role))
        await this.workflows.membershipChange({ auditEventId, userId, projectId });
      await this.sheets.publish(tx, projectId);
    });
  }

  private async readable(projectId: string, actor: Principal) {
    return (await this.access.readable(projectId, actor)).project;
  }
}
