/**
 * What every console response starts from: the page's language (?lang=, remembered in a cookie,
 * then Accept-Language, then the profile's first) and the signed-in person's header.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { InjectProfile, type Profile } from '@openccs/profile';
import type { AuthenticatedRequest } from '../common/request-context';
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

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectProfile() profile: Profile,
    private readonly notifications: NotificationsService,
  ) {
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
    const remembered = cookieOf(req, LANG_COOKIE);
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
}
