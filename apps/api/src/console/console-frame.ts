/**
 * What every console response starts from: the page's language (?lang=, remembered in a cookie,
 * then Accept-Language, then the profile's first) and the signed-in person's header.
 */
import { Inject, Injectable, type Type, type ValidationPipe } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { InjectProfile, type Profile } from '@openccs/profile';
import { scopedRequestKey } from '../common/idempotency';
import type { AuthenticatedRequest, RequestContext } from '../common/request-context';
import { createValidationPipe } from '../common/validation.pipe';
import { NotificationsService } from '../notifications/notifications.service';
import {
  isLocale,
  negotiate,
  offeredLanguages,
  translator,
  type Site,
  type Translator,
} from '../portal/i18n';
import type { Html } from '../portal/html';
import { cookieOf, LANG_COOKIE, setCookie } from './session';
import { consoleLayout, type Frame } from './views';

@Injectable()
export class ConsoleFrames {
  readonly site: Site;
  /** Cookies are Secure when the site is served over https. */
  readonly secure: boolean;

  private readonly forms: ValidationPipe;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectProfile() profile: Profile,
    private readonly notifications: NotificationsService,
  ) {
    this.forms = createValidationPipe(profile);
    this.site = {
      languages: offeredLanguages(profile.languages),
      kindNames: Object.fromEntries(profile.kinds.map((k) => [k.key, k.names])),
    };
    this.secure = config.publicApi.publicUrl.startsWith('https:');
  }

  /** The page's translator; a language chosen with ?lang= is remembered for the next pages. */
  translator(req: Request, res: Response): Translator {
    const asked = req.query.lang;
    const offered = this.site.languages;
    if (isLocale(asked) && offered.includes(asked)) setCookie(res, LANG_COOKIE, asked, this.secure);
    const remembered = cookieOf(req, LANG_COOKIE, this.secure);
    const chosen = isLocale(asked) ? asked : remembered;
    return translator(negotiate(chosen, req.headers['accept-language'], offered), this.site);
  }

  /** The frame of a page for whoever is signed in (or nobody, on the sign-in page). */
  async frame(req: AuthenticatedRequest, res: Response): Promise<Frame> {
    const t = this.translator(req, res);
    const path = req.originalUrl;
    const actor = req.principal;
    const session = req.consoleSession;
    if (!actor || !session) return { t, path };
    return {
      t,
      path,
      user: {
        username: actor.username,
        systemRole: actor.systemRole,
        csrf: session.csrfToken,
        unread: await this.notifications.unreadCount(actor),
      },
    };
  }

  /** Sends a whole page: never cached, since it is one person's view. */
  send(res: Response, frame: Frame, title: string, main: Html, status = 200): void {
    res
      .status(status)
      .setHeader('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(consoleLayout(frame, title, main).toString());
  }

  /** A 303 to `path` (after a form), keeping the page's language. */
  redirect(res: Response, path: string): void {
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, path);
  }

  /** A form's fields as the API's request class, through the API's own validation pipe. */
  async parse<T extends object>(type: Type<T>, form: Record<string, unknown>): Promise<T> {
    // An empty field is one left out: an HTML form cannot leave a field out.
    const fields = Object.fromEntries(
      Object.entries(form).filter(([name, value]) => !FORM_ONLY.has(name) && value !== ''),
    );
    return (await this.forms.transform(fields, { type: 'body', metatype: type })) as T;
  }

  /**
   * The request context of a form: its one-time key, bound to the person, the form's path and
   * its fields, is the command's request key, so sending the same form twice does its work once.
   */
  contextOf(req: AuthenticatedRequest, form: Record<string, unknown>): RequestContext {
    const actor = req.principal;
    if (!actor) throw new Error('a console form without a session');
    const key = typeof form._key === 'string' && FORM_KEY.test(form._key) ? form._key : undefined;
    const fields = Object.fromEntries(Object.entries(form).filter(([name]) => !FORM_ONLY.has(name)));
    const hash = createHash('sha256')
      .update(canonicalize(fields) ?? '')
      .digest('hex');
    return {
      actor,
      requestId: typeof req.id === 'string' ? req.id : null,
      requestKey: key
        ? scopedRequestKey(actor.id, 'POST', req.path.toLowerCase(), `console:${key}`, hash)
        : `r:${randomUUID()}`,
      idempotent: key !== undefined,
    };
  }
}

/** The fields a form sends beside the request's own: the CSRF token and the one-time key. */
const FORM_ONLY = new Set(['_csrf', '_key']);
const FORM_KEY = /^[A-Za-z0-9-]{16,64}$/;
