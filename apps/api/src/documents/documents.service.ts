/**
 * Projects' documents: any member who takes part in the project (not an observer) registers a
 * file as a document; a public one is published in the same transaction as a record of the log,
 * so a document is either registered and published, or neither.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { appendRecord, documentRecordOf, logSignerOf, type LogSigner } from '@openccs/disclosure';
import { DomainError } from '@openccs/domain';
import {
  AuditRepository,
  DisclosureRepository,
  DocumentsRepository,
  FilesRepository,
  OrganizationsRepository,
  referenceFiles,
  UsersRepository,
} from '@openccs/persistence';
import { InjectProfile, type Profile } from '@openccs/profile';
import type { Principal } from '../auth/principal';
import { byInstantAndId, paginate, type Page } from '../common/pagination';
import { invalidRequest, ProblemException } from '../common/problem';
import { publicationProblem } from '../files/publication';
import type { RequestContext } from '../common/request-context';
import { ProjectAccess } from '../projects/project-access';
import { DocumentView, type CreateDocumentRequest, type DocumentsQuery } from './documents.dto';

@Injectable()
export class DocumentsService {
  private readonly signer: LogSigner | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectProfile() private readonly profile: Profile,
    private readonly access: ProjectAccess,
    private readonly documents: DocumentsRepository,
    private readonly files: FilesRepository,
    private readonly log: DisclosureRepository,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditRepository,
    private readonly ds: DataSource,
  ) {
    this.signer = logSignerOf(config.disclosure);
  }

  async create(projectId: string, body: CreateDocumentRequest, ctx: RequestContext): Promise<DocumentView> {
    const { project, role } = await this.access.readable(projectId, ctx.actor);
    if (role === null || role === 'observer')
      throw new DomainError(
        'access.forbidden',
        'Only the people who take part in the project register its documents.',
      );
    const file = await this.files.usableIn(body.fileId, ctx.actor.id, projectId);
    if (!file || file.withdrawnAt)
      throw invalidRequest([
        {
          field: 'fileId',
          message: `no file ${body.fileId} that you may use here: upload it first (POST /api/v1/files)`,
        },
      ]);
    const unpublishable = body.public ? publicationProblem(file) : null;
    if (unpublishable) throw invalidRequest([{ field: 'public', message: unpublishable }]);
    const published = body.public ? file.publishedSha256 : null;
    const publishedFile = published ? await this.files.find(published) : undefined;
    const id = randomUUID();
    const title = body.title.trim();
    await this.ds.transaction(async (tx) => {
      const version = await this.documents.add(tx, {
        id,
        projectId,
        title,
        category: body.category,
        sha256: file.sha256,
        name: file.name,
        public: body.public ?? false,
        createdBy: ctx.actor.id,
      });
      await referenceFiles(tx, { type: 'document', id, projectId }, [file.sha256]);
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'project.document_add',
        subjectType: 'project',
        subjectId: projectId,
        requestId: ctx.requestId,
        details: {
          documentId: id,
          title,
          version,
          category: body.category,
          fileId: file.sha256,
          public: body.public ?? false,
        },
      });
      if (!publishedFile) return;
      const actor = await this.actorFacts(ctx.actor);
      const signer = this.logSigner();
      const entry = await this.log.appendOnceIn(tx, `document:${id}`, { projectId, reportId: null }, (tail) =>
        appendRecord(
          tail,
          documentRecordOf(
            {
              project: { code: project.code, title: project.title },
              document: {
                id,
                title,
                category: body.category,
                version,
                file: {
                  sha256: publishedFile.sha256,
                  name: file.name,
                  contentType: publishedFile.contentType,
                  size: Number(publishedFile.size),
                },
              },
              actor: { ...actor, role },
              officialsNamed: this.profile.officialsNamed,
            },
            { seq: tail.size, id: randomUUID(), publishedAt: new Date().toISOString() },
          ),
          signer,
        ),
      );
      await this.documents.setRecord(tx, id, entry.record.seq);
    });
    const row = await this.documents.find(id);
    if (!row) throw new Error(`document ${id} vanished after it was stored`);
    return DocumentView.of(row);
  }

  async list(projectId: string, actor: Principal, query: DocumentsQuery): Promise<Page<DocumentView>> {
    await this.access.readable(projectId, actor);
    return paginate(
      query,
      (page) => this.documents.list(projectId, page),
      byInstantAndId('createdAt', 'id'),
      DocumentView.of,
    );
  }

  private async actorFacts(actor: Principal) {
    const user = await this.users.findById(actor.id);
    const organization = await this.organizations.findById(actor.organizationId);
    if (!user || !organization) throw new Error(`user ${actor.id} or their organization is gone`);
    return {
      organization: organization.name,
      organizationKind: organization.kind,
      displayName: user.displayName,
    };
  }

  private logSigner(): LogSigner {
    if (!this.signer)
      throw new ProblemException(
        'internal_error',
        'LOG_SIGNING_KEY is not set: this API cannot publish documents.',
      );
    return this.signer;
  }
}
