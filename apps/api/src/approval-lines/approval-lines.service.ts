import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { DomainError, validateApprovalLine, type ReportKind } from '@openccs/domain';
import { ApprovalLinesRepository, AuditRepository, ProjectEntity } from '@openccs/persistence';
import { InjectProfile, kindOf, type Profile } from '@openccs/profile';
import type { Principal } from '../auth/principal';
import type { RequestContext } from '../common/request-context';
import { ProjectAccess } from '../projects/project-access';
import { ApprovalLineView, toTemplate, type PutApprovalLineRequest } from './approval-lines.dto';

@Injectable()
export class ApprovalLinesService {
  constructor(
    private readonly ds: DataSource,
    private readonly lines: ApprovalLinesRepository,
    private readonly audit: AuditRepository,
    private readonly access: ProjectAccess,
    @InjectProfile() private readonly profile: Profile,
  ) {}

  async list(projectId: string, actor: Principal): Promise<ApprovalLineView[]> {
    await this.access.readable(projectId, actor);
    return (await this.lines.listInForce(projectId)).map(ApprovalLineView.of);
  }

  /**
   * Puts a new version of the line in force. Reports already submitted keep the version they
   * snapshotted. Putting the line in force again changes nothing and answers the same version.
   */
  async put(projectId: string, kind: ReportKind, body: PutApprovalLineRequest, ctx: RequestContext) {
    const steps = body.steps.map(toTemplate);
    const problems = validateApprovalLine(steps, kindOf(this.profile, kind));
    if (problems.length > 0) {
      throw new DomainError('approval_line.invalid', 'The approval line is invalid.', undefined, problems);
    }
    return this.ds.transaction(async (tx) => {
      // Serializes concurrent edits of the same project's lines.
      const project = await tx.findOne(ProjectEntity, {
        where: { id: projectId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!project) throw new DomainError('project.not_found', `No project ${projectId}.`);
      const current = await this.lines.inForce(projectId, kind, tx);
      if (current && isDeepStrictEqual(current.steps, steps)) return ApprovalLineView.of(current);
      const row = await this.lines.insertVersion(
        tx,
        projectId,
        kind,
        (current?.version ?? 0) + 1,
        steps,
        ctx.actor.id,
      );
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'approval_line.put',
        subjectType: 'project',
        subjectId: projectId,
        requestId: ctx.requestId,
        details: { reportKind: kind, version: row.version },
      });
      return ApprovalLineView.of(row);
    });
  }
}
