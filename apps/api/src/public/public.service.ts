import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import {
  filesNamedBy,
  oc4idsPackage,
  overviewFigures,
  keyHistory,
  keyId,
  parsePrivateKey,
  proveFromNodes,
  publicKeyPem,
  recordsAtom,
  recordsCsv,
  toOc4idsProject,
  type DisclosureRecord,
  type LogKey,
  type SignedTreeHead,
} from '@openccs/disclosure';
import { DomainError } from '@openccs/domain';
import { InjectProfile, publicProfile, type Profile, type PublicProfile } from '@openccs/profile';
import {
  DisclosureRepository,
  FilesRepository,
  PublicProjectsRepository,
  type LogEntry,
  type PublicProjectFilter,
  type PublicProjectRow,
} from '@openccs/persistence';
import { byText, paginate, type Page, type PageQuery } from '../common/pagination';
import { TransparencyService } from './transparency.service';

/** How a citizen checks the log; served with the head so the instructions travel with the data. */
export const HOW_TO_VERIFY =
  'Download /public/v1/export/records.json (every record with the signed tree head published after it) and run ' +
  '`npm run verify -- --file records.json`, or `npm run verify -- --url <this site>`, from the OpenCCS source. ' +
  'Each record is hashed as RFC 8785 canonical JSON into an RFC 9162 Merkle tree (SHA-256); each tree head is ' +
  'signed with Ed25519 over the canonical JSON of {keyId, rootHash, timestamp, treeSize}. Compare keyId with the ' +
  'fingerprint the agency publishes elsewhere so that you need not trust this server. When the log changes keys, a ' +
  'key_rotation record signed by the previous key names the next one; /public/v1/log/keys lists them, and the ' +
  'verifier follows them from the first key.';

@Injectable()
export class PublicService {
  private readonly first: { keyId: string; publicKey: string };
  /** The key history as of the key named last: re-read when a head names another. */
  private history: Promise<LogKey[]> | undefined;
  private readonly oc4idsPrefix: string;
  /** PUBLIC_URL: absolute links never come from request headers, which a client controls. */
  private readonly base: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectProfile() private readonly deployment: Profile,
    private readonly log: DisclosureRepository,
    private readonly projects: PublicProjectsRepository,
    private readonly files: FilesRepository,
    private readonly transparency: TransparencyService,
  ) {
    if (!config.disclosure.signingKey) throw new Error('LOG_SIGNING_KEY is required to serve the public log');
    const key = createPublicKey(parsePrivateKey(config.disclosure.signingKey));
    // The log's first key when it has no rotation yet (after one, the records name every key).
    this.first = { keyId: keyId(key), publicKey: publicKeyPem(key) };
    this.oc4idsPrefix = config.disclosure.oc4idsPrefix;
    this.base = config.publicApi.publicUrl;
  }

  /** Which files these records name were withdrawn since (the records keep their hashes). */
  withdrawnFiles(records: readonly DisclosureRecord[]): Promise<Set<string>> {
    return this.files.withdrawnAmong(records.flatMap((r) => filesNamedBy(r).map((f) => f.sha256)));
  }

  async records(after: number | undefined, limit: number, projectId?: string) {
    return recordsPage(await this.log.records({ after, limit, ...(projectId ? { projectId } : {}) }), limit);
  }

  async projectRecords(code: string, after: number | undefined, limit: number) {
    const project = await this.project(code);
    return this.records(after, limit, project.id);
  }

  async recordBySeq(seq: number): Promise<DisclosureRecord> {
    const entry = await this.log.bySeq(seq);
    if (!entry) throw new DomainError('record.not_found', `No record ${seq}.`);
    return entry.record;
  }

  /**
   * The key history the log's rotation records describe (keyHistory of libs/disclosure), read
   * again only when the latest head names a key the cached history does not end with.
   */
  async keys(): Promise<{ items: LogKey[]; howToVerify: string }> {
    return { items: await this.keyHistory(await this.log.latestHead()), howToVerify: HOW_TO_VERIFY };
  }

  private async keyHistory(latest: SignedTreeHead | null): Promise<LogKey[]> {
    const cached = await this.history?.catch(() => undefined);
    if (cached && (!latest || cached[cached.length - 1]?.keyId === latest.keyId)) return cached;
    this.history = this.log.keyRotations().then((rotations) => keyHistory(rotations, this.first));
    return this.history;
  }

  async head() {
    const treeHead = await this.log.latestHead();
    const keys = await this.keyHistory(treeHead);
    return {
      treeHead: treeHead ?? {
        treeSize: 0,
        rootHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      publicKey: (keys.find((k) => k.keyId === treeHead?.keyId) ?? keys[keys.length - 1] ?? this.first)
        .publicKey,
      howToVerify: HOW_TO_VERIFY,
      export: '/public/v1/export/records.json',
    };
  }

  async inclusion(seq: number, treeSize: number | undefined) {
    const head = treeSize === undefined ? await this.log.latestHead() : await this.log.headAt(treeSize);
    if (!head || seq >= head.treeSize)
      throw new DomainError('record.not_found', `No record ${seq} in a tree of that size.`);
    const size = head.treeSize;
    const [leafHash, path] = await proveFromNodes(
      (p, node) => [node(0, seq), p.inclusion(node, seq, size)] as const,
      (wanted) => this.log.nodes(wanted),
    );
    return { seq, treeSize: size, leafHash, path, treeHead: head };
  }

  async consistency(from: number, to: number | undefined) {
    const newer = to === undefined ? await this.log.latestHead() : await this.log.headAt(to);
    const older = await this.log.headAt(from);
    if (!newer || !older || from > newer.treeSize)
      throw new DomainError('record.not_found', 'No tree heads of those sizes.');
    const proof = await proveFromNodes(
      (p, node) => p.consistency(node, older.treeSize, newer.treeSize),
      (wanted) => this.log.nodes(wanted),
    );
    return {
      from: older.treeSize,
      to: newer.treeSize,
      proof,
      fromHead: older,
      toHead: newer,
    };
  }

  async export() {
    const entries = await this.allEntries();
    // The head published with the last record: a head read afterwards may cover records appended since.
    const last = entries[entries.length - 1]?.treeHead;
    const treeHead = last ?? (await this.head()).treeHead;
    const keys = await this.keyHistory(last ?? null);
    return { publicKey: keys[0]?.publicKey ?? this.first.publicKey, keys, treeHead, entries };
  }

  /** The rules the data follows: the public part of the deployment profile. */
  profile(): PublicProfile {
    return publicProfile(this.deployment);
  }

  searchProjects(filter: PublicProjectFilter, query: PageQuery): Promise<Page<PublicProjectView>> {
    return paginate(query, (page) => this.projects.search(filter, page), byText('code'), toProjectView);
  }

  /** Every log entry (of one project, or all), in log order, read in pages. */
  private async allEntries(projectId?: string): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    for (let after: number | undefined = undefined; ;) {
      const page = await this.log.entries({ after, limit: 5_000, ...(projectId ? { projectId } : {}) });
      entries.push(...page);
      if (page.length < 5_000) return entries;
      after = page[page.length - 1]?.record.seq;
    }
  }

  private async allRecords(projectId?: string): Promise<DisclosureRecord[]> {
    return (await this.allEntries(projectId)).map((e) => e.record);
  }

  async oc4idsProject(code: string): Promise<Record<string, unknown>> {
    const project = await this.project(code);
    const view = toProjectView(project);
    return toOc4idsProject({
      idPrefix: this.oc4idsPrefix,
      project: { ...view, status: project.status },
      agency: { id: project.agencyId, name: project.agency },
      parties: await this.projects.parties(project.id),
      facts: (await this.transparency.project(project.code)).facts,
      filesBase: `${this.base}/public/v1/files`,
    });
  }

  async oc4idsPackage(codes: readonly string[] | 'all'): Promise<Record<string, unknown>> {
    const base = this.base;
    const list = codes === 'all' ? await this.projects.allCodes() : codes;
    const projects = [];
    for (const code of list) projects.push(await this.oc4idsProject(code));
    return oc4idsPackage(projects, {
      uri:
        codes === 'all'
          ? `${base}/public/v1/export/oc4ids.json`
          : `${base}/public/v1/projects/${encodeURIComponent(list[0] ?? '')}/oc4ids.json`,
      publisher: 'OpenCCS',
      publishedDate: new Date().toISOString(),
    });
  }

  async csv(): Promise<string> {
    return recordsCsv(await this.allRecords());
  }

  /** The newest hundred records as Atom. */
  async atom(): Promise<string> {
    const size = (await this.log.latestHead())?.treeSize ?? 0;
    const newest = await this.log.records({ limit: 100, after: size - 101 });
    return recordsAtom(newest, this.base, new Date().toISOString());
  }

  /**
   * The project overview: its sheet, and the figures the log gives (overviewFigures of
   * libs/disclosure, which the verifier recomputes from the export at `asOf.treeSize`).
   */
  async overview(code: string) {
    const project = await this.project(code);
    const { asOf, facts, flags } = await this.transparency.project(project.code);
    return {
      ...toProjectView(project),
      parties: await this.projects.parties(project.id),
      ...overviewFigures(facts),
      flags: {
        raised: flags.filter((f) => f.status === 'raised').length,
        outweighed: flags.filter((f) => f.status === 'outweighed').length,
      },
      asOf,
    };
  }

  /** The project with this code (404 otherwise), as the public sees it. */
  async overviewProject(code: string): Promise<PublicProjectView> {
    return toProjectView(await this.project(code));
  }

  private async project(code: string) {
    const project = await this.projects.byCode(code);
    if (!project) throw new DomainError('project.not_found', `No project ${code}.`);
    return project;
  }
}

/**
 * A page of the log as the public API sends it (exported for bench/public-read.mjs, whose bare
 * node:http baseline must build the very same page).
 */
export function recordsPage(records: DisclosureRecord[], limit: number): Page<DisclosureRecord> {
  return {
    items: records,
    nextCursor: records.length === limit ? String(records[records.length - 1]?.seq) : null,
  };
}

/** A project as the public sees it: the repository row, with the amount as money. */
export type PublicProjectView = Omit<
  PublicProjectRow,
  'contractAmount' | 'contractCurrency' | 'location' | 'latitude' | 'longitude'
> & {
  contractAmount: { value: number; currency: string } | null;
  location: { address: string | null; lat: number | null; lon: number | null } | null;
};

export function toProjectView(row: PublicProjectRow): PublicProjectView {
  return {
    code: row.code,
    title: row.title,
    description: row.description,
    location:
      row.location === null && row.latitude === null
        ? null
        : { address: row.location, lat: row.latitude, lon: row.longitude },
    status: row.status,
    startDate: row.startDate,
    endDate: row.endDate,
    contractAmount:
      row.contractAmount !== null && row.contractCurrency !== null
        ? { value: Number(row.contractAmount), currency: row.contractCurrency }
        : null,
    agency: row.agency,
    recordCount: row.recordCount,
  };
}
