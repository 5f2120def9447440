import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@openccs/domain';
import {
  AuditRepository,
  generatePassword,
  hashPassword,
  isUniqueViolation,
  LoginAttemptsRepository,
  OrganizationsRepository,
  UsersRepository,
  verifyPassword,
} from '@openccs/persistence';
import { byId, paginate, type Page, type PageQuery } from '../common/pagination';
import { oneTimePasswordRefusal } from '../auth/auth.guard';
import type { RequestContext } from '../common/request-context';
import { WorkflowStarter } from '../temporal/workflow-starter';
import { UserView, type ChangePasswordRequest, type CreateUserRequest } from './users.dto';

@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditRepository,
    private readonly attempts: LoginAttemptsRepository,
    private readonly workflows: WorkflowStarter,
  ) {}

  /**
   * Creates an account. With `oneTime`, the password (an operator's, from the command line) serves
   * only to choose the holder's own.
   */
  async create(
    body: CreateUserRequest,
    ctx: RequestContext,
    options: { oneTime?: boolean } = {},
  ): Promise<UserView> {
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
          passwordOneTime: options.oneTime ?? false,
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

  list(query: PageQuery): Promise<Page<UserView>> {
    return paginate(query, (page) => this.users.list(page), byId(), UserView.of);
  }

  /**
   * Deactivates an account: its tokens end at once (token version), it can no longer sign in,
   * and it leaves every open step it was assigned (each report re-checks its assignees; a step
   * left with nobody escalates).
   */
  async deactivate(id: string, ctx: RequestContext): Promise<UserView> {
    if (id === ctx.actor.id)
      throw new DomainError('user.cannot_change_self', 'You cannot deactivate your own account.');
    return this.ds.transaction(async (tx) => {
      const row = await this.users.setActive(tx, id, false);
      if (!row) throw new DomainError('user.not_found', `No user ${id}.`);
      const auditEventId = await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'user.deactivate',
        subjectType: 'user',
        subjectId: id,
        requestId: ctx.requestId,
      });
      await this.workflows.membershipChange({ auditEventId, userId: id, projectId: null });
      return UserView.of(row);
    });
  }

  /** Lets a deactivated account sign in again; it is assigned only to steps that open from now on. */
  async reactivate(id: string, ctx: RequestContext): Promise<UserView> {
    return this.ds.transaction(async (tx) => {
      const row = await this.users.setActive(tx, id, true);
      if (!row) throw new DomainError('user.not_found', `No user ${id}.`);
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'user.reactivate',
        subjectType: 'user',
        subjectId: id,
        requestId: ctx.requestId,
      });
      return UserView.of(row);
    });
  }

  /**
   * Changes a password: your own with the current one, or (as an administrator) anyone else's,
   * which also lifts their sign-in lock-outs. Every token issued before ends.
   */
  async changePassword(id: string, body: ChangePasswordRequest, ctx: RequestContext): Promise<void> {
    const self = id === ctx.actor.id;
    if (!self && ctx.actor.oneTimePassword) throw oneTimePasswordRefusal(ctx.actor.id);
    if (!self && ctx.actor.systemRole !== 'admin') throw new DomainError('user.not_found', `No user ${id}.`);
    const user = await this.users.findById(id);
    if (!user) throw new DomainError('user.not_found', `No user ${id}.`);
    if (self) {
      if (body.currentPassword === undefined)
        throw new DomainError(
          'user.wrong_password',
          'Give your current password to change it.',
          'currentPassword',
        );
      const hash = await this.users.passwordHashOf(id);
      if (!hash || !(await verifyPassword(hash, body.currentPassword)))
        throw new DomainError('user.wrong_password', 'The current password is wrong.', 'currentPassword');
    }
    const passwordHash = await hashPassword(body.newPassword);
    await this.ds.transaction(async (tx) => {
      await this.users.setPassword(tx, id, passwordHash);
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: self ? 'user.password_change' : 'user.password_reset',
        subjectType: 'user',
        subjectId: id,
        requestId: ctx.requestId,
      });
    });
    if (!self) await this.attempts.clear(user.username);
  }

  /**
   * An operator's reset (`npm run admin -- reset-password`): a new password, good only for choosing
   * the holder's own; every session and token ends, sign-in lock-outs lift. Returns the password.
   */
  async issueOneTimePassword(
    username: string,
    ctx: RequestContext,
  ): Promise<{ user: UserView; password: string }> {
    const user = await this.users.findForLogin(username);
    if (!user) throw new DomainError('user.not_found', `No user ${username}.`, 'username');
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await this.ds.transaction(async (tx) => {
      await this.users.setPassword(tx, user.id, passwordHash, { oneTime: true });
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'user.password_reset',
        subjectType: 'user',
        subjectId: user.id,
        requestId: ctx.requestId,
        details: { oneTime: true },
      });
    });
    await this.attempts.clear(user.username);
    return { user: UserView.of(user), password };
  }
}
