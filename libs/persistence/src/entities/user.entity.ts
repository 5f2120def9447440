import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SystemRole } from '@openccs/domain';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  username!: string;

  /** argon2id; selected only by the credential check, never serialized. */
  @Column('text', { name: 'password_hash', select: false })
  passwordHash!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('text', { name: 'system_role' })
  systemRole!: SystemRole;

  @Column('boolean')
  active!: boolean;

  /** Raised when the password changes or the account is deactivated: older tokens stop working. */
  @Column('integer', { name: 'token_version', default: 0 })
  tokenVersion!: number;

  /** Set by an operator's reset: the password serves only to choose a new one (docs/operations.md). */
  @Column('boolean', { name: 'password_one_time', default: false })
  passwordOneTime!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
