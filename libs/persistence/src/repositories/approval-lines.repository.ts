import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { KindDefinition, ReportKind, StepTemplate } from '@openccs/domain';
import { ApprovalLineEntity } from '../entities';

@Injectable()
export class ApprovalLinesRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Writes version 1 of the default line (the profile's) for every kind the project has no line
   * for yet. Idempotent (ON CONFLICT DO NOTHING), so a retried activity or a second bootstrap adds
   * nothing.
   */
  async seedDefaults(
    projectId: string,
    kinds: readonly Pick<KindDefinition, 'key' | 'line'>[],
    tx: EntityManager = this.ds.manager,
  ): Promise<number> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(ApprovalLineEntity)
      .values(
        kinds.map((kind) => ({
          projectId,
          reportKind: kind.key,
          version: 1,
          steps: [...kind.line],
          createdBy: null,
        })),
      )
      .orIgnore()
      .returning(['report_kind'])
      .execute();
    return (result.raw as unknown[]).length;
  }

  /** The version in force: the highest one. */
  inForce(projectId: string, reportKind: ReportKind, tx: EntityManager = this.ds.manager) {
    return tx.findOne(ApprovalLineEntity, {
      where: { projectId, reportKind },
      order: { version: 'DESC' },
    });
  }

  insertVersion(
    tx: EntityManager,
    projectId: string,
    reportKind: ReportKind,
    version: number,
    steps: StepTemplate[],
    createdBy: string,
  ): Promise<ApprovalLineEntity> {
    return tx.save(tx.create(ApprovalLineEntity, { projectId, reportKind, version, steps, createdBy }));
  }

  listInForce(projectId: string): Promise<ApprovalLineEntity[]> {
    return this.ds.manager
      .createQueryBuilder(ApprovalLineEntity, 'l')
      .distinctOn(['l.report_kind'])
      .where('l.project_id = :projectId', { projectId })
      .orderBy('l.report_kind', 'ASC')
      .addOrderBy('l.version', 'DESC')
      .getMany();
  }
}
