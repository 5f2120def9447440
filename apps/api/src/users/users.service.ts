import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@openccs/domain';
import {
  AuditRepository,
  hashPassword,
  isUniqueViolation,
  OrganizationsRepository,
  UsersRepository,
} from '@openccs/persistence';
import type { RequestContext } from '../common/request-context';
import { UserView, type CreateUserRequest } from './users.dto';

@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async create(body: CreateUserRequest, ctx: RequestContext): Promise<UserView> {
    const passwordHash = await hashPassword(body.password);
    try {
      return await this.ds.transaction(async (tx) => {
        if (!(await this.organizations.findById(body.organizationId, tx))) {
          throw new DomainError(
            'request.unknown_reference',
            `No organization ${body.organizationId}.`,
            'organizationId',
          );
        }
        const row = await this.users.insert(tx, {
          username: body.username,
          passwordHash,
          displayName: body.displayName.trim(),
          organizationId: body.organizationId,
          systemRole: body.systemRole ?? 'staff',
        });
        await this.audit.record(tx, {
          actorUserId: ctx.actor.id,
          action: 'user.create',
          subjectType: 'user',
          subjectId: row.id,
          requestId: ctx.requestId,
          details: { username: row.username, organizationId: row.organizationId, systemRole: row.systemRole },
        });
        return UserView.of(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DomainError('user.username_taken', `The username "${body.username}" is taken.`, 'username');
      }
      throw err;
    }
  }

  /** Admins and auditors see anyone; staff see themselves only. */
  async get(id: string, ctx: RequestContext): Promise<UserView> {
    const mayRead = ctx.actor.systemRole !== 'staff' || ctx.actor.id === id;
    const row = mayRead ? await this.users.findById(id) : null;
    if (!row) throw new DomainError('user.not_found', `No user ${id}.`);
    return UserView.of(row);
  }
}
