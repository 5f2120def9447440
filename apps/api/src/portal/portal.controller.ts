/**
 * The public portal (Allimi in the browser): server-rendered pages in Korean, English, French
 * and Arabic, chosen by ?lang=, Accept-Language or the visible switch. The same data as the public
 * API, through the same service.
 */
import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  type ValidationPipe,
} from '@nestjs/common';
import { DomainError } from '@openccs/domain';
import { ClientKey } from '../common/client-address';
import { ProblemException, statusOf } from '../common/problem';
import { createValidationPipe } from '../common/validation.pipe';
import { SubmitFeedbackRequest } from '../feedback/feedback.dto';
import { FeedbackService } from '../feedback/feedback.service';
import {
  feedbackForm,
  feedbackReceipt,
  questionsAndAnswers,
  trackingPage,
  type FeedbackForm,
} from './feedback-views';
import { html } from './html';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, projectRoot, type AppConfig } from '@openccs/config';
import { PROJECT_STATUSES } from '@openccs/domain';
import { InjectProfile, type Profile } from '@openccs/profile';
import { Public } from '../auth/decorators';
import { PublicService } from '../public/public.service';
import { TransparencyService } from '../public/transparency.service';
import { negotiate, offeredLanguages, translator, type Site, type Translator } from './i18n';
import {
  agenciesPage,
  agencyPage,
  agencyRecordsPage,
  flagsPage,
  isFigure,
  mapPage,
  type MapProject,
} from './transparency-views';
import { home, layout, project, record, verifyPage, type SearchForm } from './views';

const ASSETS: Record<string, { type: string; body: string }> = Object.fromEntries(
  [
    ['portal.css', 'text/css; charset=utf-8'],
    ['console.css', 'text/css; charset=utf-8'],
    ['verify.js', 'text/javascript; charset=utf-8'],
    ['console.js', 'text/javascript; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
    ['map.js', 'text/javascript; charset=utf-8'],
    ['feedback-pow.js', 'text/javascript; charset=utf-8'],
    // Leaflet, served from the project: no third-party script or style reaches the page.
    ['leaflet.js', 'text/javascript; charset=utf-8', 'node_modules/leaflet/dist/leaflet.js'],
    ['leaflet.css', 'text/css; charset=utf-8', 'node_modules/leaflet/dist/leaflet.css'],
  ].map(([name, type, path]) => [
    name,
    {
      type: type as string,
      body: readFileSync(
        join(projectRoot(), path ?? join('apps/api/src/portal/assets', name as string)),
        'utf8',
      ),
    },
  ]),
);

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined;

@ApiExcludeController()
@Public()
@Controller()
export class PortalController {
  private readonly site: Site;
  private readonly tiles: { url: string; attribution: string };

  private readonly forms: ValidationPipe;

  constructor(
    private readonly disclosure: PublicService,
    private readonly transparency: TransparencyService,
    private readonly feedback: FeedbackService,
    @InjectProfile() profile: Profile,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.forms = createValidationPipe(profile);
    this.tiles = { url: config.map.tilesUrl, attribution: config.map.attribution };
    this.site = {
      languages: offeredLanguages(profile.languages),
      kindNames: Object.fromEntries(profile.kinds.map((k) => [k.key, k.names])),
    };
  }

  /** The page's translator: ?lang=, Accept-Language, or the profile's first language. */
  private translate(lang: unknown, accept: string | undefined): Translator {
    return translator(negotiate(lang, accept, this.site.languages), this.site);
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=15')
  async index(
    @Query() query: Record<string, unknown>,
    @Headers('accept-language') accept?: string,
  ): Promise<string> {
    const t = this.translate(query.lang, accept);
    const status = text(query.status);
    const form: SearchForm = {
      ...(text(query.q) ? { q: text(query.q) } : {}),
      ...(status && (PROJECT_STATUSES as readonly string[]).includes(status) ? { status } : {}),
      ...(text(query.agency) ? { agency: text(query.agency) } : {}),
      ...(text(query.location) ? { location: text(query.location) } : {}),
    };
    const cursor = text(query.cursor);
    const page = await this.disclosure.searchProjects(form, {
      limit: 20,
      ...(cursor && /^[A-Za-z0-9_-]+$/.test(cursor) ? { cursor } : {}),
    });
    const params = new URLSearchParams({ ...(form as Record<string, string>), lang: t.locale });
    const next = page.nextCursor ? `/?${params.toString()}&cursor=${page.nextCursor}` : null;
    return layout(t, t.t('home.heading'), `/?${params.toString()}`, home(t, form, page, next)).toString();
  }

  @Get('projects/:code')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=15')
  async project(
    @Param('code') code: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept?: string,
  ) {
    return (await this.projectPage(this.translate(lang, accept), code)).toString();
  }

  /** The project's page, with the feedback form as sent (and why it was refused) when there is one. */
  private async projectPage(t: Translator, code: string, form?: FeedbackForm) {
    const overview = await this.disclosure.overview(code);
    const records = (await this.disclosure.projectRecords(code, undefined, 1000)).items;
    const { facts, flags } = await this.transparency.project(overview.code);
    return layout(
      t,
      overview.title,
      `/projects/${encodeURIComponent(overview.code)}`,
      html`${project(t, overview, records, await this.disclosure.withdrawnFiles(records), {
        facts,
        flags,
        now: Date.now(),
      })}
      ${questionsAndAnswers(t, facts.feedback)} ${feedbackForm(t, overview.code, form)}`,
    );
  }

  /**
   * The feedback form, sent: the same request class and service as POST
   * /public/v1/projects/{code}/feedback; a refusal shows the form again with its reason.
   */
  @Post('projects/:code/feedback')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async sendFeedback(
    @Param('code') code: string,
    @Query('lang') lang: unknown,
    @Body() form: Record<string, unknown>,
    @ClientKey() client: string,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') accept?: string,
  ) {
    const t = this.translate(lang, accept);
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    const sent: FeedbackForm = {
      category: text('category'),
      message: text('message'),
      contact: text('contact'),
    };
    try {
      const fields = Object.fromEntries(
        ['category', 'message', 'contact', 'altcha'].flatMap((n) => (text(n) !== '' ? [[n, text(n)]] : [])),
      );
      const body = (await this.forms.transform(fields, {
        type: 'body',
        metatype: SubmitFeedbackRequest,
      })) as SubmitFeedbackRequest;
      const receipt = await this.feedback.submit(code, body, client);
      const overview = await this.disclosure.overview(code);
      return layout(
        t,
        t.t('feedback.receipt.heading'),
        `/projects/${encodeURIComponent(overview.code)}`,
        feedbackReceipt(t, overview.code, overview.title, receipt.trackingCode),
      ).toString();
    } catch (err) {
      const refusal = refusalOf(err, t);
      if (!refusal) throw err;
      res.status(refusal.status);
      return (await this.projectPage(t, code, { ...sent, error: refusal.message })).toString();
    }
  }

  @Get('feedback/:trackingCode')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async trackFeedback(
    @Param('trackingCode') trackingCode: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept?: string,
  ) {
    const t = this.translate(lang, accept);
    const view = await this.feedback.track(trackingCode);
    return layout(
      t,
      t.t('feedback.track.heading', { code: trackingCode }),
      `/feedback/${encodeURIComponent(trackingCode)}`,
      trackingPage(t, trackingCode, view),
    ).toString();
  }

  @Get('map')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=60')
  async map(@Query('lang') lang: unknown, @Headers('accept-language') accept?: string) {
    const t = this.translate(lang, accept);
    const projects: MapProject[] = [];
    for (let cursor: string | undefined; ;) {
      const page = await this.disclosure.searchProjects({}, { limit: 200, ...(cursor ? { cursor } : {}) });
      projects.push(...page.items);
      if (!page.nextCursor || projects.length >= 5_000) break;
      cursor = page.nextCursor;
    }
    return layout(t, t.t('map.heading'), '/map', mapPage(t, projects, this.tiles)).toString();
  }

  @Get('agencies')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=15')
  async agencies(@Query('lang') lang: unknown, @Headers('accept-language') accept?: string) {
    const t = this.translate(lang, accept);
    const now = await this.transparency.now();
    return layout(
      t,
      t.t('agencies.heading'),
      '/agencies',
      agenciesPage(t, now.agencies, now.asOf.treeSize),
    ).toString();
  }

  @Get('agencies/:agencyId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=15')
  async agency(
    @Param('agencyId') agencyId: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept?: string,
  ) {
    const t = this.translate(lang, accept);
    const { now, agency } = await this.agencyOf(agencyId);
    const flags = now.flags.filter(
      (f) => f.subject.agency?.id === agency.id || agency.projects.includes(f.subject.project ?? ''),
    );
    return layout(
      t,
      agency.name,
      `/agencies/${agency.id}`,
      agencyPage(t, agency, flags, now.asOf.treeSize),
    ).toString();
  }

  @Get('agencies/:agencyId/records')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=15')
  async agencyRecords(
    @Param('agencyId') agencyId: string,
    @Query('figure') figure: unknown,
    @Query('step') step: unknown,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept?: string,
  ) {
    const t = this.translate(lang, accept);
    const { agency } = await this.agencyOf(agencyId);
    if (!isFigure(figure)) throw new NotFoundException();
    const group =
      typeof step === 'string'
        ? agency.byStep.find((s) => `${s.reportKind}/${s.stepKey}` === step)
        : undefined;
    if (step !== undefined && !group) throw new NotFoundException();
    const all = new Set(agency[figure].records);
    const seqs = group ? group.records.filter((seq) => all.has(seq)) : [...all];
    const path = `/agencies/${agency.id}/records?figure=${figure}${group ? `&step=${encodeURIComponent(step as string)}` : ''}`;
    return layout(
      t,
      agency.name,
      path,
      agencyRecordsPage(
        t,
        agency,
        figure,
        seqs,
        group ? `${t.kind(group.reportKind)} — ${group.stepName}` : undefined,
      ),
    ).toString();
  }

  /** The figures now, and the agency with this id among them (ids in any case), or 404. */
  private async agencyOf(agencyId: string) {
    const now = await this.transparency.now();
    const agency = now.agencies.find((a) => a.id === agencyId.toLowerCase());
    if (!agency) throw new NotFoundException();
    return { now, agency };
  }

  @Get('flags')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=15')
  async flags(
    @Query('status') status: unknown,
    @Query('code') code: unknown,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept?: string,
  ) {
    const t = this.translate(lang, accept);
    const now = await this.transparency.now();
    const wanted = status === 'raised' || status === 'outweighed' ? status : undefined;
    const flags = now.flags.filter(
      (f) => (!wanted || f.status === wanted) && (typeof code !== 'string' || code === '' || f.code === code),
    );
    return layout(
      t,
      t.t('flags.heading'),
      `/flags${wanted ? `?status=${wanted}` : ''}`,
      flagsPage(t, flags, wanted, now.asOf.treeSize),
    ).toString();
  }

  @Get('records/:seq')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=15')
  async record(
    @Param('seq') seq: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept?: string,
  ) {
    if (!/^\d{1,12}$/.test(seq)) throw new NotFoundException();
    const t = this.translate(lang, accept);
    const r = await this.disclosure.recordBySeq(Number(seq));
    const proof = await this.disclosure.inclusion(r.seq, undefined);
    return layout(
      t,
      t.t('record.heading', { seq: r.seq }),
      `/records/${r.seq}`,
      record(t, r, proof, await this.disclosure.withdrawnFiles([r])),
    ).toString();
  }

  @Get('verify')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=60')
  async verify(@Query('lang') lang: unknown, @Headers('accept-language') accept?: string) {
    const t = this.translate(lang, accept);
    const head = await this.disclosure.head();
    const keyId = 'keyId' in head.treeHead ? head.treeHead.keyId : null;
    return layout(t, t.t('verify.heading'), '/verify', verifyPage(t, keyId)).toString();
  }

  /** Browsers ask for /favicon.ico on every site; answering it keeps their consoles clean. */
  @Get('favicon.ico')
  favicon(@Res() res: Response): void {
    this.asset('favicon.svg', res);
  }

  @Get('portal/assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = ASSETS[name];
    if (!asset) throw new NotFoundException();
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.send(asset.body);
  }
}

/** A refusal of the feedback form, in words, with its status; null for anything else (a 5xx). */
function refusalOf(err: unknown, t: Translator): { status: number; message: string } | null {
  if (err instanceof DomainError) {
    const message =
      err.code === 'feedback.challenge_failed' ? t.t('feedback.form.proofRefused') : err.message;
    return { status: statusOf(err.code), message };
  }
  if (err instanceof ProblemException && err.problem.status < 500) {
    const errors = err.problem.errors ?? [];
    const proof = errors.some((e) => e.field === 'altcha');
    const message = proof
      ? t.t('feedback.form.noscript')
      : errors.map((e) => e.message).join('; ') || err.problem.detail;
    return { status: err.problem.status, message };
  }
  return null;
}
