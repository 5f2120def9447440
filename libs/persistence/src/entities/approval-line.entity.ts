import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ReportKind, StepTemplate } from '@openccs/domain';

/** One version of a project's approval line for one report kind; versions are never edited. */
@Entity('approval_lines')
export class ApprovalLineEntity {
  @PrimaryColumn('uuid', { name: 'project_id' })
  projectId!: string;

  @PrimaryColumn('text', { name: 'report_kind' })
  reportKind!: ReportKind;

  @PrimaryColumn('integer')
  version!: number;

  @Column('jsonb')
  steps!: StepTemplate[];

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
