/**
 * The console's cookies and its CSRF check. The session cookie holds a random token whose
 * SHA-256 finds the session (ConsoleSessionsRepository); every state-changing form carries the
 * session's synchronizer token in `_csrf`. The sign-in form, which has no session yet, uses a
 * double-submit pair instead: a random cookie and the same value in the form.
 */
import { SetMetadata } from '@nestjs/common';
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'openccs_session';
export const LOGIN_COOKIE = 'openccs_login';
export const LANG_COOKIE = 'openccs_lang';
export const CSRF_FIELD = '_csrf';

export const CONSOLE_ROUTE = 'openccs:console';

/**
 * A console page: the caller is signed in by the session cookie (never by a bearer token), and a
 * state-changing request must carry the session's CSRF token. `signedIn: false` for the sign-in
 * page itself.
 */
export interface ConsolePageOptions {
  readonly signedIn: boolean;
  /** The page takes a form with files, whose CSRF token its reader checks (multipart.ts). */
  readonly multipart?: boolean;
  /**
   * Not a page: a JSON route another origin's browser app calls with the session cookie (the
   * Temporal UI's codec calls). It takes no form, so no CSRF token: its JSON content type forces
   * a CORS preflight, which only the configured origin passes, and the route checks `Origin`.
   */
  readonly crossOrigin?: boolean;
}

export const ConsolePage = (options: ConsolePageOptions = { signedIn: true }) =>
  SetMetadata(CONSOLE_ROUTE, options);

export function cookieOf(req: Request, name: string, secure = false): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  return parse(header)[cookieName(name, secure)];
}

/**
 * HttpOnly, SameSite=Lax (links from e-mails still arrive signed in). Behind https the cookies
 * are `__Host-` cookies (Secure, Path=/, no Domain), which a sibling subdomain or a plain-http
 * response cannot plant: what makes the sign-in form's double-submit cookie trustworthy.
 */
export function cookieOptions(secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: secure ? '/' : '/console' };
}

/** The name a cookie has on this site: with the `__Host-` prefix behind https. */
export const cookieName = (name: string, secure: boolean): string => (secure ? `__Host-${name}` : name);

export function setCookie(res: Response, name: string, value: string, secure: boolean): void {
  res.cookie(cookieName(name, secure), value, cookieOptions(secure));
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  res.clearCookie(cookieName(name, secure), cookieOptions(secure));
}

/** Constant-time equality of a submitted token with the expected one. */
export function tokensMatch(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
