/**
 * What the public log means: each project's contract value, changes, payments and progress, each
 * agency's figures, and the red flags — all computed by libs/disclosure from the records alone
 * (so the verifier recomputes the same from the export) at one tree size, which every response
 * names in `asOf`. The computation is redone only when the log has grown.
 */
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import {
  agencyFigures,
  factsOfProject,
  projectFacts,
  redFlags,
  atomFeed,
  type AgencyFigures,
  type DisclosureRecord,
  type ProjectFacts,
  type RedFlag,
} from '@openccs/disclosure';
import { DomainError } from '@openccs/domain';
import { DisclosureRepository } from '@openccs/persistence';
import { InjectProfile, type Profile } from '@openccs/profile';
import { byId, byText, paginate, type Page, type PageQuery } from '../common/pagination';

export interface Transparency {
  /** The tree size the figures are computed at: the first `treeSize` records of the log. */
  readonly asOf: { readonly treeSize: number };
  readonly projects: ReadonlyMap<string, ProjectFacts>;
  readonly agencies: readonly AgencyFigures[];
  readonly flags: readonly RedFlag[];
}

export type FlagStatus = RedFlag['status'];

@Injectable()
export class TransparencyService {
  private latest: Promise<Transparency> | null = null;
  private latestSize = -1;
  /** The log's records read so far, in order: the log only grows, so only new ones are read. */
  private readonly records: DisclosureRecord[] = [];
  private readonly base: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectProfile() private readonly profile: Profile,
    private readonly log: DisclosureRepository,
  ) {
    this.base = config.publicApi.publicUrl;
  }

  /** The figures at the log's current size (computed once per size, shared by concurrent readers). */
  async now(): Promise<Transparency> {
    const size = (await this.log.latestHead())?.treeSize ?? 0;
    if (this.latest && this.latestSize === size) return this.latest;
    const computing = this.compute(size);
    this.latest = computing;
    this.latestSize = size;
    computing.catch(() => {
      if (this.latest === computing) this.latest = null;
    });
    return computing;
  }

  private async compute(size: number): Promise<Transparency> {
    const records = this.records;
    while (records.length < size) {
      const page = await this.log.records({ after: records.length - 1, limit: 5_000 });
      if (page.length === 0) break;
      // Concurrent computations may read the same page: each position is kept once, in order.
      for (const record of page) if (record.seq === records.length && record.seq < size) records.push(record);
    }
    const projects = projectFacts(records.slice(0, size));
    const agencies = agencyFigures(projects);
    return {
      asOf: { treeSize: size },
      projects,
      agencies,
      flags: redFlags(projects, agencies, this.profile.integrity),
    };
  }

  /** One project's facts (a project without records has none to show, but exists). */
  async project(
    code: string,
  ): Promise<{ asOf: Transparency['asOf']; facts: ProjectFacts; flags: RedFlag[] }> {
    const t = await this.now();
    return {
      asOf: t.asOf,
      facts: t.projects.get(code) ?? factsOfProject(code, []),
      flags: t.flags.filter((f) => f.subject.project === code),
    };
  }

  async agencies(query: PageQuery): Promise<Page<AgencyFigures> & { asOf: Transparency['asOf'] }> {
    const t = await this.now();
    const sorted = [...t.agencies].sort((a, b) => (a.id < b.id ? -1 : 1));
    const page = await paginate(
      query,
      async ({ limit, after }) => sorted.filter((a) => after === undefined || a.id > after).slice(0, limit),
      byId<AgencyFigures>(),
      (a) => a,
    );
    return { ...page, asOf: t.asOf };
  }

  async agency(id: string): Promise<AgencyFigures & { asOf: Transparency['asOf'] }> {
    const t = await this.now();
    const agency = t.agencies.find((a) => a.id === id);
    if (!agency) throw new DomainError('agency.not_found', `No agency ${id} with public records.`);
    return { ...agency, asOf: t.asOf };
  }

  async flags(
    filter: { status?: FlagStatus; code?: string; project?: string },
    query: PageQuery,
  ): Promise<Page<RedFlag> & { asOf: Transparency['asOf'] }> {
    const t = await this.now();
    const matching = t.flags
      .filter(
        (f) =>
          (!filter.status || f.status === filter.status) &&
          (!filter.code || f.code === filter.code) &&
          (!filter.project || f.subject.project === filter.project),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const page = await paginate(
      query,
      async ({ limit, after }) => matching.filter((f) => after === undefined || f.id > after).slice(0, limit),
      byText<RedFlag>('id'),
      (f) => f,
    );
    return { ...page, asOf: t.asOf };
  }

  /** Flags as an Atom feed, newest change first: an entry per flag, updated when its status changes. */
  async atom(): Promise<string> {
    const t = await this.now();
    const changed = (f: RedFlag) => f.outweighed?.at ?? f.raised.at;
    const newest = [...t.flags].sort((a, b) => (changed(a) < changed(b) ? 1 : -1)).slice(0, 100);
    return atomFeed({
      self: `${this.base}/public/v1/flags.atom`,
      title: 'OpenCCS red flags',
      updated: newest[0] ? changed(newest[0]) : new Date(0).toISOString(),
      entries: newest.map((f) => {
        const about = f.subject.project ?? f.subject.agency?.name ?? f.subject.contractor?.name ?? '';
        const facts = Object.entries(f.facts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        return {
          id: `${this.base}/public/v1/flags#${encodeURIComponent(f.id)}`,
          title: `${f.status === 'raised' ? 'Red flag' : 'Outweighed'}: ${f.title} — ${about}`,
          updated: changed(f),
          link: `${this.base}/flags?code=${encodeURIComponent(f.code)}#${encodeURIComponent(f.id)}`,
          summary: `A flag is not proof. ${f.code}${f.ocp.length ? ` (OCP ${f.ocp.join(', ')})` : ''}: ${facts}. Formula: ${f.formula}. Threshold ${f.threshold.value} (${f.threshold.source}). Records: ${f.records.join(', ')}.`,
        };
      }),
    });
  }
}
