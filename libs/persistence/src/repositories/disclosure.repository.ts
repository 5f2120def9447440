/**
 * The public log. Appends are serialized by an advisory lock (one global sequence) and keyed:
 * the same finished step is published once, however often its activity runs.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  filesNamedBy,
  frontierOf,
  type AppendedRecord,
  type DisclosureRecord,
  type KeyRotationRecord,
  type LogTail,
  type ProjectRecord,
  type ProjectSheet,
  type SignedTreeHead,
} from '@openccs/disclosure';

/** Arbitrary, fixed: identifies the log's append lock among advisory locks. */
const LOG_LOCK = 7_337_002;

/** Publication key of the rotation to the key `keyId`: a rotation is appended once. */
export const keyRotationPublicationKey = (keyId: string) => `log-key-rotation:${keyId}`;

export interface LogEntry {
  record: DisclosureRecord;
  treeHead: SignedTreeHead;
}

@Injectable()
export class DisclosureRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Appends the record published under `key`, once: in one transaction holding the log's lock
   * (appends happen one at a time, so positions are gapless), returns the record already
   * published under `key` if there is one, else stores what `build` makes of the log's tail
   * (`recordOf` and `appendRecord` of libs/disclosure: pure, no I/O).
   */
  async appendOnce(
    key: string,
    ids: { projectId: string | null; reportId: string | null },
    build: (tail: LogTail) => AppendedRecord,
  ): Promise<LogEntry> {
    return this.ds.transaction((tx) => this.appendOnceIn(tx, key, ids, build));
  }

  /**
   * `appendOnce` inside the caller's transaction: the record is appended if and only if the rest
   * of the transaction (a document registered with it) commits.
   */
  async appendOnceIn(
    tx: EntityManager,
    key: string,
    ids: { projectId: string | null; reportId: string | null },
    build: (tail: LogTail) => AppendedRecord,
  ): Promise<LogEntry> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
    const rows: Array<{ record: DisclosureRecord; tree_head: SignedTreeHead }> = await tx.query(
      'SELECT record, tree_head FROM disclosure_records WHERE idempotency_key = $1',
      [key],
    );
    const existing = rows[0];
    if (existing) return { record: existing.record, treeHead: existing.tree_head };
    const appended = build(await this.tail(tx));
    await this.insert(tx, key, ids, appended);
    return { record: appended.record, treeHead: appended.treeHead };
  }

  /**
   * The project's sheet in force (its last project record), read under the log's lock so that
   * the caller can decide whether to publish a new one without racing another process.
   */
  async lastSheetLocked(tx: EntityManager, projectId: string): Promise<ProjectRecord | null> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
    const rows: Array<{ record: ProjectRecord }> = await tx.query(
      `SELECT record FROM disclosure_records
        WHERE project_id = $1 AND report_id IS NULL AND record->>'type' = 'project'
        ORDER BY seq DESC LIMIT 1`,
      [projectId],
    );
    return rows[0]?.record ?? null;
  }

  /** The public sheet of a project as the database holds it now (see ProjectSheet). */
  async currentSheet(
    tx: EntityManager,
    projectId: string,
  ): Promise<{ project: { code: string; title: string }; sheet: ProjectSheet } | null> {
    const rows: Array<{
      code: string;
      title: string;
      description: string | null;
      location: string | null;
      latitude: number | null;
      longitude: number | null;
      contract_amount: string | null;
      contract_currency: string | null;
      start_date: string | null;
      end_date: string | null;
      status: ProjectSheet['status'];
      agency_id: string;
      agency_name: string;
    }> = await tx.query(
      `SELECT p.code, p.title, p.description, p.location, p.latitude, p.longitude,
              p.contract_amount::text AS contract_amount, p.contract_currency, p.start_date::text AS start_date,
              p.end_date::text AS end_date, p.status, o.id AS agency_id, o.name AS agency_name
         FROM projects p JOIN organizations o ON o.id = p.agency_organization_id WHERE p.id = $1`,
      [projectId],
    );
    const p = rows[0];
    if (!p) return null;
    const parties: ProjectSheet['parties'] = await tx.query(
      `SELECT DISTINCT o.id, o.name, o.kind, m.role
         FROM project_members m JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = u.organization_id
        WHERE m.project_id = $1 AND m.role <> 'observer'
        ORDER BY m.role, o.name, o.id`,
      [projectId],
    );
    return {
      project: { code: p.code, title: p.title },
      sheet: {
        agency: { id: p.agency_id, name: p.agency_name },
        description: p.description,
        location:
          p.location === null && p.latitude === null
            ? null
            : { address: p.location, lat: p.latitude, lon: p.longitude },
        contractValue:
          p.contract_amount !== null && p.contract_currency !== null
            ? { value: Number(p.contract_amount), currency: p.contract_currency }
            : null,
        startDate: p.start_date,
        endDate: p.end_date,
        status: p.status,
        parties: parties.map((x) => ({ id: x.id, name: x.name, kind: x.kind, role: x.role })),
      },
    };
  }

  /** Projects that have no sheet in the log yet (created before sheets were published). */
  async projectsWithoutSheet(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT p.id FROM projects p
        WHERE NOT EXISTS (SELECT 1 FROM disclosure_records d
                           WHERE d.project_id = p.id AND d.report_id IS NULL AND d.record->>'type' = 'project')
        ORDER BY p.created_at, p.id`,
    );
    return rows.map((r) => r.id);
  }

  private async insert(
    tx: EntityManager,
    key: string,
    ids: { projectId: string | null; reportId: string | null },
    appended: AppendedRecord,
  ): Promise<void> {
    const { record, canonical, leafHash, treeHead, frontier, nodes } = appended;
    await tx.query(
      `INSERT INTO disclosure_records (seq, id, idempotency_key, project_id, report_id, record, canonical, leaf_hash, tree_head, published_at, frontier)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        record.seq,
        record.id,
        key,
        ids.projectId,
        ids.reportId,
        canonical,
        canonical,
        leafHash,
        JSON.stringify(treeHead),
        record.publishedAt,
        frontier,
      ],
    );
    // The files it names become public: GET /public/v1/files serves exactly these.
    const files = filesNamedBy(record);
    if (files.length > 0)
      await tx.query(
        `INSERT INTO public_files (sha256, name, first_record_seq)
         SELECT * FROM unnest($1::char(64)[], $2::text[], $3::bigint[]) ON CONFLICT (sha256) DO NOTHING`,
        [files.map((f) => f.sha256), files.map((f) => f.name), files.map(() => record.seq)],
      );
    if (nodes.length > 0)
      await tx.query(
        `INSERT INTO disclosure_nodes (level, index, hash)
         SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::char(64)[])`,
        [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
      );
  }

  /**
   * The log's size and compact range, from its last record (one row); for a log whose last
   * record predates stored ranges, derived once from the leaves.
   */
  private async tail(tx: EntityManager): Promise<LogTail> {
    const rows: Array<{ seq: string; frontier: string[] | null; key_id: string }> = await tx.query(
      `SELECT seq, frontier, tree_head->>'keyId' AS key_id FROM disclosure_records ORDER BY seq DESC LIMIT 1`,
    );
    const last = rows[0];
    if (!last) return { size: 0, frontier: [], keyId: null };
    const size = Number(last.seq) + 1;
    if (last.frontier) return { size, frontier: last.frontier, keyId: last.key_id };
    const leaves: Array<{ leaf_hash: string }> = await tx.query(
      'SELECT leaf_hash FROM disclosure_records ORDER BY seq',
    );
    return { size, frontier: frontierOf(leaves.map((r) => r.leaf_hash)), keyId: last.key_id };
  }

  /** Entries in log order from `after` (exclusive), optionally of one project. */
  async entries(page: { after?: number; limit: number; projectId?: string }): Promise<LogEntry[]> {
    // Two statements, not one with "$2 IS NULL OR": each gets the plan of its own index.
    const rows: Array<{ record: DisclosureRecord; tree_head: SignedTreeHead }> = page.projectId
      ? await this.ds.query(
          `SELECT record, tree_head FROM disclosure_records
            WHERE project_id = $2 AND seq > $1 ORDER BY seq LIMIT $3`,
          [page.after ?? -1, page.projectId, page.limit],
        )
      : await this.ds.query(
          `SELECT record, tree_head FROM disclosure_records WHERE seq > $1 ORDER BY seq LIMIT $2`,
          [page.after ?? -1, page.limit],
        );
    return rows.map((r) => ({ record: r.record, treeHead: r.tree_head }));
  }

  /** The log's key rotation records, in log order (a partial index finds them). */
  async keyRotations(): Promise<KeyRotationRecord[]> {
    const rows: Array<{ record: KeyRotationRecord }> = await this.ds.query(
      `SELECT record FROM disclosure_records WHERE record->>'type' = 'key_rotation' ORDER BY seq`,
    );
    return rows.map((r) => r.record);
  }

  /**
   * The records alone, as `entries` orders and pages them: most readers (the public pages, the
   * feeds, the figures) need no tree head, and decoding one per row cost a page's reader about
   * as much as the records themselves.
   */
  async records(page: { after?: number; limit: number; projectId?: string }): Promise<DisclosureRecord[]> {
    const rows: Array<{ record: DisclosureRecord }> = page.projectId
      ? await this.ds.query(
          `SELECT record FROM disclosure_records WHERE project_id = $2 AND seq > $1 ORDER BY seq LIMIT $3`,
          [page.after ?? -1, page.projectId, page.limit],
        )
      : await this.ds.query(`SELECT record FROM disclosure_records WHERE seq > $1 ORDER BY seq LIMIT $2`, [
          page.after ?? -1,
          page.limit,
        ]);
    return rows.map((r) => r.record);
  }

  async latestHead(): Promise<SignedTreeHead | null> {
    const rows: Array<{ tree_head: SignedTreeHead }> = await this.ds.query(
      'SELECT tree_head FROM disclosure_records ORDER BY seq DESC LIMIT 1',
    );
    return rows[0]?.tree_head ?? null;
  }

  /** Perfect subtrees by level and index (level 0: the leaves), keyed "level:index". */
  async nodes(wanted: ReadonlyArray<{ level: number; index: number }>): Promise<Map<string, string>> {
    const leaves = wanted.filter((w) => w.level === 0).map((w) => w.index);
    const inner = wanted.filter((w) => w.level > 0);
    const rows: Array<{ level: number; index: string; hash: string }> = [
      ...(leaves.length > 0
        ? await this.ds.query(
            `SELECT 0 AS level, seq::text AS index, leaf_hash AS hash FROM disclosure_records WHERE seq = ANY($1::bigint[])`,
            [leaves],
          )
        : []),
      ...(inner.length > 0
        ? await this.ds.query(
            `SELECT n.level, n.index::text AS index, n.hash FROM disclosure_nodes n
               JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, index) USING (level, index)`,
            [inner.map((w) => w.level), inner.map((w) => w.index)],
          )
        : []),
    ];
    return new Map(rows.map((r) => [`${r.level}:${r.index}`, r.hash]));
  }

  async headAt(size: number): Promise<SignedTreeHead | null> {
    const rows: Array<{ tree_head: SignedTreeHead }> = await this.ds.query(
      'SELECT tree_head FROM disclosure_records WHERE seq = $1',
      [size - 1],
    );
    return rows[0]?.tree_head ?? null;
  }

  async bySeq(seq: number): Promise<LogEntry | null> {
    const rows: Array<{ record: DisclosureRecord; tree_head: SignedTreeHead }> = await this.ds.query(
      'SELECT record, tree_head FROM disclosure_records WHERE seq = $1',
      [seq],
    );
    return rows[0] ? { record: rows[0].record, treeHead: rows[0].tree_head } : null;
  }
}
