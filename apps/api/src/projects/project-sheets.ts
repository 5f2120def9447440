/**
 * A project's public sheet in the log: published in the transaction that creates the project or
 * changes anything on it (its facts, its parties), and at start for projects created before
 * sheets were published. A sheet is published only when it differs from the one in force, read
 * under the log's lock, so retries, concurrent edits and several API processes publish each
 * version once.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import {
  appendRecord,
  LogKeyUnavailableError,
  logSignerOf,
  projectRecordOf,
  type LogSigner,
} from '@openccs/disclosure';
import { DisclosureRepository } from '@openccs/persistence';

@Injectable()
export class ProjectSheets implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProjectSheets.name);
  private readonly signer: LogSigner | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly log: DisclosureRepository,
    private readonly ds: DataSource,
  ) {
    this.signer = logSignerOf(config.disclosure);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.signer) return;
    const missing = await this.log.projectsWithoutSheet();
    try {
      for (const id of missing) await this.ds.transaction((tx) => this.publish(tx, id));
    } catch (err) {
      // Published at the next start, or with the project's next change, once it has the key.
      if (!(err instanceof LogKeyUnavailableError)) throw err;
      this.logger.warn(`project sheets not published yet: ${err.message}`);
      return;
    }
    if (missing.length > 0) this.logger.log(`published the sheets of ${missing.length} project(s)`);
  }

  /** Publishes the project's sheet inside `tx` when it differs from the one in force. */
  async publish(tx: EntityManager, projectId: string): Promise<void> {
    const signer = this.signer;
    if (!signer) throw new Error('LOG_SIGNING_KEY is required to publish project sheets');
    const last = await this.log.lastSheetLocked(tx, projectId);
    const now = await this.log.currentSheet(tx, projectId);
    if (!now) return;
    const unchanged =
      last !== null &&
      last.project.title === now.project.title &&
      canonicalize(last.sheet) === canonicalize(now.sheet);
    if (unchanged) return;
    const version = (last?.version ?? 0) + 1;
    await this.log.appendOnceIn(
      tx,
      `project:${projectId}:${version}`,
      { projectId, reportId: null },
      (tail) =>
        appendRecord(
          tail,
          projectRecordOf(now.project, version, now.sheet, {
            seq: tail.size,
            id: randomUUID(),
            publishedAt: new Date().toISOString(),
          }),
          signer,
        ),
    );
  }
}
