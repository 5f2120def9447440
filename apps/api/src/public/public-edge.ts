/**
 * The public side's edge, in front of the framework, on the HTTP server itself: the per-client
 * rate limit of the public API and the portal, and a cache of the pages that can never change.
 * The log is append-only, so a page of records that came back full (as many records as asked
 * for) holds the same records forever; it is kept as the exact bytes and headers first sent
 * (security headers included) and replayed without routing, middleware or a database query.
 * Pages that may still grow (the log's tail) always go through. docs/performance.md has the
 * figures that made this worth its lines.
 *
 * One URL, one entry: Express routes case-insensitively and ignores a trailing slash, and the
 * query's numbers are read as the validation pipe reads them (`wholeNumber`), so the cache key is
 * the route and the numbers it resolves to (`/PUBLIC/v1/records/?after=00` is `/public/v1/records?after=0`).
 * A URL with any other parameter is never cached (the API refuses it). The cache is bounded in
 * bytes, the least recently used page leaving first.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { problemOf } from '../common/problem';
import { RateWindows } from '../common/rate-windows';
import { wholeNumber } from '../common/whole-number';

/** Set (in res.locals) by a handler whose response body can never change. */
export const IMMUTABLE = 'openccsImmutable';
/** Not replayed: they belong to one exchange. */
const PER_EXCHANGE = new Set(['x-request-id', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
/**
 * Paths the edge leaves alone: the staff API (authenticated, its own limits), health checks, and
 * the portal's static files (constant and cheap; a page view fetches several).
 */
const UNLIMITED = ['/api/v1/', '/health/', '/portal/assets/', '/favicon.ico'];

type Headers = Record<string, string | string[] | number>;
interface Stored {
  headers: Headers;
  headers304: Headers;
  etag: string | undefined;
  body: Buffer;
  bytes: number;
}

export interface PublicEdgeOptions {
  rateLimitPerMinute: number;
  /** Bytes of pages kept in memory at most. */
  cacheBytes: number;
  /** The key a request's client is counted under (its address, as TRUST_PROXY resolves it). */
  clientKey: (req: IncomingMessage) => string;
  /** Gives the request its id (and the x-request-id header), as the rest of the API does. */
  requestId: (req: IncomingMessage, res: ServerResponse) => string;
  now?: () => number;
}

/** Puts the edge in front of the server's request handler (the Express application). */
export function installPublicEdge(server: Server, options: PublicEdgeOptions): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  const edge = publicEdge(options);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (edge(req, res)) return;
    for (const handle of handlers) handle(req, res);
  });
}

/**
 * The cache key of a URL whose response may be immutable, or `undefined` when the URL is not one
 * the edge caches. Exported for its tests.
 */
export function cacheKey(url: string): string | undefined {
  const [rawPath = '', query = ''] = splitOnce(url, '?');
  const segments = rawPath.split('/').slice(1);
  if (segments[segments.length - 1] === '') segments.pop();
  const fixed = (i: number, name: string) => segments[i]?.toLowerCase() === name;
  let route: string;
  if (segments.length === 3 && fixed(0, 'public') && fixed(1, 'v1') && fixed(2, 'records')) {
    route = 'records';
  } else if (
    segments.length === 5 &&
    fixed(0, 'public') &&
    fixed(1, 'v1') &&
    fixed(2, 'projects') &&
    fixed(4, 'records')
  ) {
    let code: string;
    try {
      code = decodeURIComponent(segments[3] ?? '');
    } catch {
      return undefined;
    }
    route = `projects/${encodeURIComponent(code)}/records`;
  } else return undefined;
  const params = new URLSearchParams(query);
  const numbers: Record<string, number> = {};
  for (const [name, value] of params) {
    if (!['after', 'cursor', 'limit'].includes(name) || name in numbers) return undefined;
    const n = wholeNumber(value);
    if (n === undefined || !Number.isSafeInteger(n)) return undefined;
    numbers[name] = n;
  }
  if ('after' in numbers && 'cursor' in numbers) return undefined;
  const after = numbers.after ?? numbers.cursor;
  return `${route}?after=${after ?? ''}&limit=${numbers.limit ?? 100}`;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Pages kept as bytes, bounded by their total size: the least recently used page leaves first,
 * and no page may take more than a quarter of the budget.
 */
export class PageCache<Entry extends { bytes: number }> {
  private readonly pages = new Map<string, Entry>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.pages.size;
  }

  get(key: string): Entry | undefined {
    const entry = this.pages.get(key);
    if (entry) {
      this.pages.delete(key); // most recently used last
      this.pages.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    if (entry.bytes > this.maxBytes / 4 || this.pages.has(key)) return;
    this.pages.set(key, entry);
    this.total += entry.bytes;
    for (const [oldest, stored] of this.pages) {
      if (this.total <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.total -= stored.bytes;
    }
  }
}

/** Returns a function that answers a request itself (true) or leaves it to the framework (false). */
export function publicEdge(options: PublicEdgeOptions) {
  const windows = new RateWindows(options.rateLimitPerMinute, options.now);
  const pages = new PageCache<Stored>(options.cacheBytes);

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    const path = (url.split('?', 1)[0] ?? '').toLowerCase();
    if (UNLIMITED.some((prefix) => path.startsWith(prefix))) return false;
    const id = options.requestId(req, res);
    const retryAfter = windows.take(options.clientKey(req));
    if (retryAfter !== undefined) {
      const problem = problemOf(
        'rate_limited',
        `More than ${options.rateLimitPerMinute} requests a minute from this client; retry in ${retryAfter} s.`,
      );
      res.writeHead(problem.status, {
        'content-type': 'application/problem+json; charset=utf-8',
        'retry-after': String(retryAfter),
      });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Too Many Requests',
          ...problem,
          instance: url.split('?', 1)[0],
          requestId: id,
        }),
      );
      return true;
    }
    if (req.method !== 'GET') return false;
    const key = cacheKey(url);
    if (key === undefined) return false;
    const stored = pages.get(key);
    if (stored) {
      if (stored.etag && req.headers['if-none-match'] === stored.etag)
        res.writeHead(304, stored.headers304).end();
      else res.writeHead(200, stored.headers).end(stored.body);
      return true;
    }
    capture(res, (entry) => pages.set(key, entry));
    return false;
  };
}

/** Keeps the body of a 200 whose handler marked it immutable. */
function capture(res: ServerResponse, keep: (entry: Stored) => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const [chunk] = args;
    const locals = (res as ServerResponse & { locals?: Record<string, unknown> }).locals;
    if (
      res.statusCode === 200 &&
      locals?.[IMMUTABLE] === true &&
      (typeof chunk === 'string' || Buffer.isBuffer(chunk))
    ) {
      const headers: Headers = {};
      for (const [name, value] of Object.entries(res.getHeaders()))
        if (value !== undefined && !PER_EXCHANGE.has(name)) headers[name] = value;
      const body = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      keep({
        headers,
        headers304: Object.fromEntries(
          Object.entries(headers).filter(([name]) => name !== 'content-length' && name !== 'content-type'),
        ),
        etag: typeof headers.etag === 'string' ? headers.etag : undefined,
        body,
        // The body, its headers, and the entry's own bookkeeping.
        bytes: body.length + JSON.stringify(headers).length * 2 + 256,
      });
    }
    return end(...args);
  }) as ServerResponse['end'];
}
