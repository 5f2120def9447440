/**
 * The public API: no account, read-only, cacheable (strong ETags, Cache-Control) and rate
 * limited per client (public-edge.ts, which also replays the pages that can never change). Everything here is disclosed data; tests pin each response's exact fields.
 */
import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { Problem } from '../common/problem';
import { PageQuery } from '../common/pagination';
import { UuidParam } from '../common/uuid-param';
import {
  ConsistencyQuery,
  FlagsQuery,
  InclusionQuery,
  PublicProjectsQuery,
  RecordsQuery,
} from './public.dto';
import { TransparencyService } from './transparency.service';
import { IMMUTABLE } from './public-edge';
import { publicSchema } from './public.schemas';
import { PublicService } from './public.service';

const CACHE = 'public, max-age=15, stale-while-revalidate=60';
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/**
 * A full page of an append-only log never changes: say so to caches (here and downstream).
 * The tail page, which may still grow, keeps the short Cache-Control.
 */
function settled<T extends { nextCursor: string | null }>(res: Response, page: T): T {
  if (page.nextCursor !== null) {
    res.locals[IMMUTABLE] = true;
    res.setHeader('Cache-Control', IMMUTABLE_CACHE);
  }
  return page;
}

@ApiTags('public')
@Public()
@ApiTooManyRequestsResponse({ type: Problem, description: 'Too many requests from this client; slow down.' })
@Controller('public/v1')
export class PublicController {
  constructor(
    private readonly disclosure: PublicService,
    private readonly transparency: TransparencyService,
  ) {}

  @Get('projects')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('PublicProjectsPage'),
    description: 'Projects, searchable and filterable, cursor-paginated.',
  })
  projects(@Query() query: PublicProjectsQuery) {
    const { q, status, agency, kind } = query;
    return this.disclosure.searchProjects(
      {
        ...(q ? { q } : {}),
        ...(status ? { status } : {}),
        ...(agency ? { agency } : {}),
        ...(kind ? { kind } : {}),
      },
      query,
    );
  }

  @Get('projects/:code')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('PublicProjectOverview'),
    description: 'Overview: parties, amounts, approved payments, design changes, progress, on-time rate.',
  })
  @ApiNotFoundResponse({ type: Problem })
  project(@Param('code') code: string) {
    return this.disclosure.overview(code);
  }

  @Get('projects/:code/flags')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('ProjectFlags'),
    description:
      'The project’s red flags (integrity indicators, not proof), raised and outweighed, computed from the log at asOf.treeSize.',
  })
  @ApiNotFoundResponse({ type: Problem })
  async projectFlags(@Param('code') code: string) {
    const project = await this.disclosure.overviewProject(code);
    const { asOf, flags } = await this.transparency.project(project.code);
    return { items: flags, nextCursor: null, asOf };
  }

  @Get('flags')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('FlagsPage'),
    description:
      'Every red flag (integrity indicators computed from the public log, never accusations): code, facts, formula, threshold and its source, and the records it rests on.',
  })
  flags(@Query() query: FlagsQuery) {
    const { status, code, project } = query;
    return this.transparency.flags(
      { ...(status ? { status } : {}), ...(code ? { code } : {}), ...(project ? { project } : {}) },
      query,
    );
  }

  @Get('flags.atom')
  @Header('Cache-Control', 'public, max-age=60')
  @Header('Content-Type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Red flags as an Atom feed, the newest raised or outweighed first.' })
  flagsAtom() {
    return this.transparency.atom();
  }

  @Get('agencies')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('AgenciesPage'),
    description:
      'Ordering agencies with their figures over the steps of their projects: on-time rate, times per step, decisions on behalf, escalations — each with the records it is computed from.',
  })
  agencies(@Query() query: PageQuery) {
    return this.transparency.agencies(query);
  }

  @Get('agencies/:agencyId')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({ schema: publicSchema('AgencyFigures'), description: 'One agency’s figures.' })
  @ApiNotFoundResponse({ type: Problem })
  agency(@UuidParam('agencyId') agencyId: string) {
    return this.transparency.agency(agencyId);
  }

  @Get('projects/:code/records')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('DisclosureRecordsPage'),
    description: 'The project’s disclosure records, oldest first.',
  })
  @ApiNotFoundResponse({ type: Problem })
  async projectRecords(
    @Param('code') code: string,
    @Query() query: RecordsQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    return settled(
      res,
      await this.disclosure.projectRecords(code, RecordsQuery.start(query), query.limit ?? 100),
    );
  }

  @Get('records')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('DisclosureRecordsPage'),
    description: 'All records in log order; pass nextCursor as ?cursor= (or ?after=) for the next page.',
  })
  async records(@Query() query: RecordsQuery, @Res({ passthrough: true }) res: Response) {
    return settled(res, await this.disclosure.records(RecordsQuery.start(query), query.limit ?? 100));
  }

  @Get('profile')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({
    schema: publicSchema('PublicProfile'),
    description:
      'The rules the data follows: the deployment’s report kinds (names, body JSON Schema, public fields, what their amount means), languages, currency, working calendar and red-flag thresholds.',
  })
  profile() {
    return this.disclosure.profile();
  }

  @Get('log')
  @Header('Cache-Control', 'public, max-age=5')
  @ApiOkResponse({
    schema: publicSchema('LogHead'),
    description: 'The latest signed tree head, the log’s public key and how to verify.',
  })
  log() {
    return this.disclosure.head();
  }

  @Get('log/keys')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('LogKeys'),
    description:
      'Every key that signs or signed the log’s heads, with the tree sizes it covers and the position of the key rotation record announcing it. A convenience: verifiers derive the same list from the log itself, starting from the first key.',
  })
  logKeys() {
    return this.disclosure.keys();
  }

  @Get('log/inclusion')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('InclusionProof'),
    description: 'RFC 9162 inclusion proof of a record in a signed tree head.',
  })
  @ApiNotFoundResponse({ type: Problem })
  inclusion(@Query() query: InclusionQuery) {
    return this.disclosure.inclusion(query.seq, query.treeSize);
  }

  @Get('log/consistency')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('ConsistencyProof'),
    description: 'RFC 9162 consistency proof between two signed tree heads.',
  })
  @ApiNotFoundResponse({ type: Problem })
  consistency(@Query() query: ConsistencyQuery) {
    return this.disclosure.consistency(query.from, query.to);
  }

  @Get('projects/:code/oc4ids.json')
  @Header('Cache-Control', CACHE)
  @ApiOkResponse({
    schema: publicSchema('Oc4idsPackage'),
    description: 'The project as an OC4IDS 0.9 project package.',
  })
  @ApiNotFoundResponse({ type: Problem })
  projectOc4ids(@Param('code') code: string) {
    return this.disclosure.oc4idsPackage([code]);
  }

  @Get('export/oc4ids.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({
    schema: publicSchema('Oc4idsPackage'),
    description: 'Every project as one OC4IDS 0.9 project package.',
  })
  allOc4ids() {
    return this.disclosure.oc4idsPackage('all');
  }

  @Get('export/records.csv')
  @Header('Cache-Control', 'public, max-age=60')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'Every record as CSV (RFC 4180), one line each.' })
  csv() {
    return this.disclosure.csv();
  }

  @Get('feed.atom')
  @Header('Cache-Control', 'public, max-age=60')
  @Header('Content-Type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'The newest records as an Atom feed.' })
  atom() {
    return this.disclosure.atom();
  }

  @Get('export/records.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOkResponse({
    schema: publicSchema('RecordsExport'),
    description:
      'Every record with the signed tree head after it, and the latest head: all a verifier needs.',
  })
  export() {
    return this.disclosure.export();
  }
}
