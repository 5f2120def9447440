import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrganizationKind } from '@openccs/domain';
import { OrganizationEntity } from '../entities';

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(
    tx: EntityManager,
    values: { name: string; kind: OrganizationKind },
  ): Promise<OrganizationEntity> {
    const row = tx.create(OrganizationEntity, values);
    return tx.save(row);
  }

  findById(id: string, tx: EntityManager = this.ds.manager): Promise<OrganizationEntity | null> {
    return tx.findOneBy(OrganizationEntity, { id });
  }

  async list(page: { limit: number; after?: string }): Promise<OrganizationEntity[]> {
    const q = this.ds.manager
      .createQueryBuilder(OrganizationEntity, 'o')
      .orderBy('o.id', 'ASC')
      .limit(page.limit);
    if (page.after) q.where('o.id > :after', { after: page.after });
    return q.getMany();
  }
}
