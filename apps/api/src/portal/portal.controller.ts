/**
 * The public portal (Allimi in the browser): server-rendered pages in Korean, English, French
 * and Arabic, chosen by ?lang=, Accept-Language or the visible switch. The same data as the public
 * API, through the same service.
 */
import { Controller, Get, Header, Headers, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@openccs/config';
import { PROJECT_STATUSES } from '@openccs/domain';
import { InjectProfile, type Profile } from '@openccs/profile';
import { Public } from '../auth/decorators';
import { PublicService } from '../public/public.service';
import { negotiate, offeredLanguages, translator, type Site, type Translator } from './i18n';
import { home, layout, project, record, verifyPage, type SearchForm } from './views';

const ASSETS: Record<string, { type: string; body: string }> = Object.fromEntries(
  [
    ['portal.css', 'text/css; charset=utf-8'],
    ['console.css', 'text/css; charset=utf-8'],
    ['verify.js', 'text/javascript; charset=utf-8'],
    ['console.js', 'text/javascript; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
  ].map(([name, type]) => [
    name,
    {
      type: type as string,
      body: readFileSync(join(projectRoot(), 'apps/api/src/portal/assets', name as string), 'utf8'),
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

  constructor(
    private readonly disclosure: PublicService,
    @InjectProfile() profile: Profile,
  ) {
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
    const t = this.translate(lang, accept);
    const overview = await this.disclosure.overview(code);
    const records = (await this.disclosure.projectRecords(code, undefined, 1000)).items;
    return layout(
      t,
      overview.title,
      `/projects/${encodeURIComponent(code)}`,
      project(t, overview, records, await this.disclosure.withdrawnFiles(records)),
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
