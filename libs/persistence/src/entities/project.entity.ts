import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ProjectStatus } from '@openccs/domain';

/** PostgreSQL numeric arrives as a string; amounts stay exact up to the API edge. */
export const numericToNumber = {
  to: (value: number | null | undefined): number | null | undefined => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

@Entity('projects')
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  code!: string;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('uuid', { name: 'agency_organization_id' })
  agencyOrganizationId!: string;

  /** The address; `latitude`/`longitude` (WGS 84) place it on a map, both or neither. */
  @Column('text', { nullable: true })
  location!: string | null;

  @Column('double precision', { nullable: true })
  latitude!: number | null;

  @Column('double precision', { nullable: true })
  longitude!: number | null;

  @Column('numeric', { name: 'contract_amount', nullable: true, transformer: numericToNumber })
  contractAmount!: number | null;

  @Column('char', { name: 'contract_currency', length: 3, nullable: true })
  contractCurrency!: string | null;

  @Column('date', { name: 'start_date', nullable: true })
  startDate!: string | null;

  @Column('date', { name: 'end_date', nullable: true })
  endDate!: string | null;

  @Column('text')
  status!: ProjectStatus;

  /** Whether the project's deadlines count calendar time or the deployment calendar's working time. */
  @Column('text', { name: 'deadline_basis' })
  deadlineBasis!: 'calendar' | 'working';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
