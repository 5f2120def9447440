/**
 * Files end to end on the API's side: an upload is received, recognized by its bytes, and stored
 * under its SHA-256 with, for a photo, a copy without metadata and a thumbnail; a file is read by
 * whoever may read what references it, and by the public once a record names it; an
 * administrator may withdraw a file's bytes for a legal reason (its hash stays in the records).
 */
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import {
  classify,
  hashFile,
  publishedCopy,
  sniff,
  thumbnail,
  type FileStore,
  type StoredBytes,
} from '@openccs/files';
import { AuditRepository, FilesRepository, type FileRow, type NewFile } from '@openccs/persistence';
import type { Principal } from '../auth/principal';
import { ProblemException } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { seesEveryProject } from '../projects/project-access';
import { receiveUpload, type ReceivedFile } from './upload';

export const FILE_STORE = Symbol('FILE_STORE');

export interface FileView {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** Whether it can be published: a photo once its copy without metadata exists; other files as they are. */
  publishable: boolean;
  /** Why it cannot be published, when it cannot. */
  publishProblem: string | null;
}

/** Bytes to send, with what a response needs to describe them. */
export interface FileResponse extends StoredBytes {
  sha256: string;
  name: string;
  contentType: string;
}

/** Staging files older than this are leftovers of a crashed upload. */
const STALE_STAGING_MS = 60 * 60 * 1000;

@Injectable()
export class FilesService implements OnModuleInit {
  private readonly store: FileStore;
  private readonly staging: string;
  private readonly logger = new Logger('FilesService');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORE) store: FileStore,
    private readonly files: FilesRepository,
    private readonly audit: AuditRepository,
    private readonly ds: DataSource,
  ) {
    this.staging = join(config.files.dir, 'staging');
    this.store = answering(store);
  }

  async onModuleInit(): Promise<void> {
    // A file store that does not answer yet must not keep the rest of the API from serving.
    await this.store
      .prepare()
      .catch((err: unknown) => this.logger.warn(`the file store is not ready: ${(err as Error).message}`));
    await this.sweepStaging();
  }

  async upload(req: Request, ctx: RequestContext): Promise<FileView> {
    return this.keepUpload(await receiveUpload(req, this.staging, this.config.files.maxUploadBytes), ctx);
  }

  /** Where uploads are staged before they are stored (the console's forms stage theirs here too). */
  get stagingDir(): string {
    return this.staging;
  }

  /**
   * Stores a received upload under its hash, with its copy and thumbnail when it is a photo, and
   * records who uploaded it under which name; the staging file is gone afterwards, whatever happens.
   */
  async keepUpload(received: ReceivedFile, ctx: RequestContext): Promise<FileView> {
    const { actor } = ctx;
    const { allowedTypes } = this.config.files;
    const staged = [received.path];
    try {
      const known = await this.files.find(received.sha256);
      if (known?.withdrawnAt)
        throw new ProblemException(
          'file.withdrawn',
          'These bytes were withdrawn and cannot be uploaded again.',
        );
      const sniffed = await sniff(received.path);
      const type = classify(allowedTypes, sniffed, received.name, received.declaredType);
      if (!type.ok)
        throw new ProblemException('file.type_not_allowed', `Not stored: ${type.reason}.`, {
          errors: [{ field: 'file', message: type.reason }],
        });
      let row: Pick<FileRow, 'contentType' | 'size' | 'publishedSha256' | 'publishProblem'>;
      if (known && (await this.store.has(known.sha256))) {
        row = known; // the same bytes again: stored once, derived once
      } else {
        let derived = await this.derive(received.path, type.type, staged);
        // The same pixels as a withdrawn photo (other metadata, bytes appended): its copy stays gone.
        if (derived.copy && (await this.files.find(derived.copy.sha256))?.withdrawnAt)
          derived = { problem: 'its public copy would be a file withdrawn from publication' };
        const original: NewFile = {
          sha256: received.sha256,
          size: received.size,
          contentType: type.type.contentType,
          role: 'upload',
          publishedSha256: derived.problem ? null : (derived.copy?.sha256 ?? received.sha256),
          publishProblem: derived.problem,
          thumbnailSha256: derived.thumbnail?.sha256 ?? null,
        };
        for (const f of [derived.copy, derived.thumbnail])
          if (f) await this.keep(f.sha256, f.path, f.size, f.contentType);
        await this.keep(original.sha256, received.path, original.size, original.contentType);
        await this.files.recordUpload(
          [
            ...(derived.copy ? [derived.copy.row] : []),
            ...(derived.thumbnail ? [derived.thumbnail.row] : []),
            original,
          ],
          { sha256: received.sha256, userId: actor.id, name: received.name },
          uploadEvent(ctx, received.sha256, received.name),
        );
        return view(received.sha256, received.name, original);
      }
      await this.files.recordUpload(
        [],
        { sha256: received.sha256, userId: actor.id, name: received.name },
        uploadEvent(ctx, received.sha256, received.name),
      );
      return view(received.sha256, received.name, row);
    } finally {
      await Promise.all(staged.map((p) => rm(p, { force: true })));
    }
  }

  /** For a photo: its copy without metadata and its thumbnail, staged; else nothing to derive. */
  private async derive(
    path: string,
    type: Parameters<typeof publishedCopy>[1],
    staged: string[],
  ): Promise<{
    copy?: Staged;
    thumbnail?: Staged;
    problem: string | null;
  }> {
    if (type.name === 'heic')
      return {
        problem:
          'a HEIC photo cannot be published here: its location and camera data cannot be removed; convert it to JPEG',
      };
    if (!type.image) return { problem: null };
    const id = randomUUID();
    try {
      const copy = await publishedCopy(path, type, join(this.staging, `${id}.copy`));
      staged.push(copy.path);
      const thumb = await thumbnail(path, join(this.staging, `${id}.thumb`));
      staged.push(thumb.path);
      const [c, t] = [await hashFile(copy.path), await hashFile(thumb.path)];
      return {
        copy: {
          ...c,
          path: copy.path,
          contentType: copy.contentType,
          row: {
            ...c,
            contentType: copy.contentType,
            role: 'published_copy',
            publishedSha256: c.sha256,
            publishProblem: null,
            thumbnailSha256: t.sha256,
          },
        },
        thumbnail: {
          ...t,
          path: thumb.path,
          contentType: thumb.contentType,
          row: {
            ...t,
            contentType: thumb.contentType,
            role: 'thumbnail',
            publishedSha256: null,
            publishProblem: null,
            thumbnailSha256: null,
          },
        },
        problem: null,
      };
    } catch (err) {
      return {
        problem: `the image cannot be read to remove its location and camera data (${(err as Error).message})`,
      };
    }
  }

  /** Puts staged bytes into the store unless they are there already. */
  private async keep(sha256: string, path: string, size: number, contentType: string): Promise<void> {
    if (await this.store.has(sha256)) return;
    await this.store.put(sha256, path, size, contentType);
  }

  /** A file (or its thumbnail) for `actor`, who may read it; else 404, never 403, so ids do not leak. */
  async read(sha256: string, actor: Principal, size: 'original' | 'thumb'): Promise<FileResponse> {
    const row = await this.files.readableBy(sha256, actor.id, seesEveryProject(actor));
    if (!row) throw notFound(sha256);
    return this.bytes(row, row.name, size === 'thumb' ? row.thumbnailSha256 : row.sha256);
  }

  /** A file's name and type for `actor`, who may read it; else 404 as `read`. */
  async describe(sha256: string, actor: Principal): Promise<{ name: string; contentType: string }> {
    const row = await this.files.readableBy(sha256, actor.id, seesEveryProject(actor));
    if (!row) throw notFound(sha256);
    return { name: row.name, contentType: row.contentType };
  }

  /** A file a record of the public log names (or its thumbnail); anything else is 404. */
  async published(sha256: string, size: 'original' | 'thumb'): Promise<FileResponse> {
    const row = await this.files.published(sha256);
    if (!row) throw notFound(sha256);
    if (size === 'original') return this.bytes(row, row.name, row.sha256);
    const thumb = await this.files.publishedThumbnail(sha256);
    if (!thumb) throw notFound(`${sha256}?size=thumb`);
    return this.bytes(row, row.name.replace(/(\.[^.]*)?$/, '.webp'), thumb.sha256, thumb);
  }

  private async bytes(
    row: FileRow,
    name: string,
    sha256: string | null,
    served?: FileRow,
  ): Promise<FileResponse> {
    if (row.withdrawnAt || served?.withdrawnAt)
      throw new ProblemException(
        'file.withdrawn',
        `The file was withdrawn (${row.withdrawnReason ?? served?.withdrawnReason ?? 'no reason given'}); its hash stays in the public record.`,
      );
    if (!sha256) throw notFound(row.sha256);
    const bytes = await this.store.get(sha256);
    if (!bytes) throw notFound(sha256);
    const contentType = served?.contentType ?? (sha256 === row.sha256 ? row.contentType : 'image/webp');
    return { ...bytes, sha256, name, contentType };
  }

  /**
   * Withdraws a file's bytes for a legal reason: the bytes (and its copy and thumbnail) leave the
   * store; the records that name its hash stay and now say it was withdrawn. Audited.
   */
  async withdraw(sha256: string, reason: string, ctx: RequestContext): Promise<{ withdrawn: string[] }> {
    const known = await this.files.find(sha256);
    // The first reason stands: it is the one the records were told.
    if (known?.withdrawnAt)
      throw new ProblemException(
        'file.withdrawn',
        `The file was withdrawn already (${known.withdrawnReason ?? 'no reason given'}).`,
      );
    const withdrawn = await this.ds.transaction(async (tx) => {
      const shas = await this.files.withdraw(tx, sha256, reason, ctx.actor.id);
      if (!shas) throw notFound(sha256);
      await this.audit.record(tx, {
        actorUserId: ctx.actor.id,
        action: 'file.withdraw',
        subjectType: 'file',
        subjectId: sha256,
        requestId: ctx.requestId,
        details: { reason, withdrawn: shas },
      });
      return shas;
    });
    // After the commit: a crash here leaves bytes that are refused anyway (withdrawn rows), and a
    // second withdrawal deletes them.
    for (const sha of withdrawn) await this.store.delete(sha);
    return { withdrawn };
  }

  /** Removes what crashed uploads left in the staging directory. */
  async sweepStaging(now = Date.now()): Promise<void> {
    const names = await readdir(this.staging).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this.staging, name);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_STAGING_MS) await rm(path, { force: true });
    }
  }
}

interface Staged {
  sha256: string;
  size: number;
  path: string;
  contentType: string;
  row: NewFile;
}

function view(
  sha256: string,
  name: string,
  row: Pick<FileRow, 'contentType' | 'size' | 'publishedSha256' | 'publishProblem'>,
): FileView {
  return {
    id: sha256,
    name,
    contentType: row.contentType,
    size: Number(row.size),
    publishable: row.publishedSha256 !== null,
    publishProblem: row.publishProblem,
  };
}

function uploadEvent(ctx: RequestContext, sha256: string, name: string) {
  return {
    actorUserId: ctx.actor.id,
    action: 'file.upload',
    subjectType: 'file',
    subjectId: sha256,
    requestId: ctx.requestId,
    details: { name },
  };
}

function notFound(id: string): ProblemException {
  return new ProblemException('file.not_found', `No file ${id.slice(0, 80)} that you can read.`);
}

/**
 * The store as the API uses it: a store that does not answer is a 503 that says so, not an
 * internal error, nor a database outage (the SDK's connection errors look like PostgreSQL's).
 */
function answering(store: FileStore): FileStore {
  const call =
    <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await op(...args);
      } catch (err) {
        if (err instanceof ProblemException) throw err;
        throw new ProblemException(
          'file_store_unavailable',
          `The file store did not answer (${(err as Error).message}); nothing was changed. Retry shortly.`,
          { headers: { 'Retry-After': '5' } },
        );
      }
    };
  return {
    prepare: () => store.prepare(),
    has: call((sha: string) => store.has(sha)),
    put: call((sha: string, path: string, size: number, type: string) => store.put(sha, path, size, type)),
    get: call((sha: string) => store.get(sha)),
    delete: call((sha: string) => store.delete(sha)),
  };
}
