import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@openccs/domain';
import { AuditRepository, isUniqueViolation, OrganizationsRepository } from '@openccs/persistence';
import { byId, paginate, type Page, type PageQuery } from '../common/pagination';
import type { RequestContext } from '../common/request-context';
import { OrganizationView, type CreateOrganizationRequest } from './organizations.dto';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async create(body: CreateOrganizationRequest, ctx: RequestContext): Promise<OrganizationView> {
    try {
      return await this.ds.transaction(async (tx) => {
        const row = await this.organizations.insert(tx, { name: body.name.trim(), kind: body.kind });
        await this.audit.record(tx, {
          actorUserId: ctx.actor.id,
          action: 'organization.create',
          subjectType: 'organization',
          subjectId: row.id,
          requestId: ctx.requestId,
          details: { name: row.name, kind: row.kind },
        });
        return OrganizationView.of(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DomainError(
          'organization.name_taken',
          `An organization named "${body.name}" exists already.`,
          'name',
        );
      }
      throw err;
    }
  }

  async get(id: string): Promise<OrganizationView> {
    const row = await this.organizations.findById(id);
    if (!row) throw new DomainError('organization.not_found', `No organization ${id}.`);
    return OrganizationView.of(row);
  }

  list(query: PageQuery): Promise<Page<OrganizationView>> {
    return paginate(query, (page) => this.organizations.list(page), byId(), OrganizationView.of);
  }
}
