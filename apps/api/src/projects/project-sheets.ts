/**
 * A project's public sheet in the log: published in the transaction that creates the project or
 * changes anything on it (its facts, its parties), and at start for projects created before
 * sheets were published. A sheet is published only when it differs from the one in force, read
 * under the log's lock, so retries, concurrent edits and several API processes publish each
 * version once.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { randomUUID, type KeyObject } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { appendRecord, parsePrivateKey, projectRecordOf, signTreeHead } from '@openccs/disclosure';
import { DisclosureRepository } from '@openccs/persistence';

@Injectable()
export class ProjectSheets implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProjectSheets.name);
  private readonly key: KeyObject | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly log: DisclosureRepository,
    private readonly ds: DataSource,
  ) {
    this.key = config.disclosure.signingKey ? parsePrivateKey(config.disclosure.signingKey) : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.key) return;
    const missing = await this.log.projectsWithoutSheet();
    for (const id of missing) await this.ds.transaction((tx) => this.publish(tx, id));
    if (missing.length > 0) this.logger.log(`published the sheets of ${missing.length} project(s)`);
  }

  /** Publishes the project's sheet inside `tx` when it differs from the one in force. */
  async publish(tx: EntityManager, projectId: string): Promise<void> {
    const key = this.key;
    if (!key) throw new Error('LOG_SIGNING_KEY is required to publish project sheets');
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
          (head) => signTreeHead(head, key),
        ),
    );
  }
}
