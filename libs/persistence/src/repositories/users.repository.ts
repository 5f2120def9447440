import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SystemRole } from '@openccs/domain';
import { UserEntity } from '../entities';

export interface NewUser {
  username: string;
  passwordHash: string;
  displayName: string;
  organizationId: string;
  systemRole: SystemRole;
  /** An operator's password, good only for choosing the holder's own. */
  passwordOneTime?: boolean;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(tx: EntityManager, values: NewUser): Promise<UserEntity> {
    const saved = await tx.save(tx.create(UserEntity, { ...values, active: true }));
    // Re-read so the returned row never carries the password hash, whatever save() echoed back.
    return (await tx.findOneByOrFail(UserEntity, { id: saved.id })) satisfies UserEntity;
  }

  findById(id: string, tx: EntityManager = this.ds.manager): Promise<UserEntity | null> {
    // TypeORM drops an undefined condition and would answer the first user: never ask it that.
    if (typeof id !== 'string') return Promise.resolve(null);
    return tx.findOneBy(UserEntity, { id });
  }

  /** The one query that reads a password hash: the credential check. */
  /** Display names by user id, for pages that mention people. */
  async namesOf(ids: readonly string[]): Promise<Record<string, string>> {
    if (ids.length === 0) return {};
    const rows: Array<{ id: string; name: string }> = await this.ds.query(
      `SELECT id, display_name AS name FROM users WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  findForLogin(username: string): Promise<UserEntity | null> {
    return this.ds.manager
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  async count(tx: EntityManager = this.ds.manager): Promise<number> {
    return tx.count(UserEntity);
  }

  /**
   * Activates or deactivates the account; deactivating raises its token version, which ends every
   * token issued before. Returns the updated row, or null when there is no such user.
   */
  async setActive(tx: EntityManager, id: string, active: boolean): Promise<UserEntity | null> {
    await tx.query(
      `UPDATE users SET active = $2, token_version = token_version + CASE WHEN $2 THEN 0 ELSE 1 END
        WHERE id = $1`,
      [id, active],
    );
    return tx.findOneBy(UserEntity, { id });
  }

  /**
   * Sets a new password hash and raises the token version: every earlier token ends. A one-time
   * password (an operator's reset) serves only to choose a new one; any other change clears that.
   */
  async setPassword(
    tx: EntityManager,
    id: string,
    passwordHash: string,
    options: { oneTime?: boolean } = {},
  ): Promise<void> {
    await tx.query(
      `UPDATE users SET password_hash = $2, password_one_time = $3, token_version = token_version + 1
        WHERE id = $1`,
      [id, passwordHash, options.oneTime ?? false],
    );
  }

  /** The stored hash of one user, for checking a current password before changing it. */
  async passwordHashOf(id: string): Promise<string | null> {
    const user = await this.ds.manager
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne();
    return user?.passwordHash ?? null;
  }

  async list(page: { limit: number; after?: string }): Promise<UserEntity[]> {
    const q = this.ds.manager.createQueryBuilder(UserEntity, 'u').orderBy('u.id', 'ASC').limit(page.limit);
    if (page.after) q.where('u.id > :after', { after: page.after });
    return q.getMany();
  }
}
