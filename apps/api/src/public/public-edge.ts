/**
 * The public API's edge, in front of the framework, on the HTTP server itself: the per-client
 * rate limit, and a cache of the pages that can never change. The log is append-only, so a page
 * of records that came back full (as many records as asked for) holds the same records forever;
 * it is kept as the exact bytes and headers first sent (security headers included) and replayed
 * without routing, middleware or a database query. Pages that may still grow (the log's tail)
 * always go through. docs/performance.md has the figures that made this worth its lines.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Set (in res.locals) by a handler whose response body can never change. */
export const IMMUTABLE = 'openccsImmutable';
const PREFIX = '/public/v1/';
const MAX_ENTRIES = 500;
/** Not replayed: they belong to one exchange. */
const PER_EXCHANGE = new Set(['x-request-id', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

type Headers = Record<string, string | string[] | number>;
interface Stored {
  headers: Headers;
  headers304: Headers;
  etag: string | undefined;
  body: Buffer;
}

export interface PublicEdgeOptions {
  rateLimitPerMinute: number;
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

/** Returns a function that answers a request itself (true) or leaves it to the framework (false). */
export function publicEdge(options: PublicEdgeOptions) {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  const pages = new Map<string, Stored>();

  /** A fixed one-minute window per client address; the seconds to wait when over the limit. */
  const limited = (client: string): number | undefined => {
    const t = now();
    let w = windows.get(client);
    if (!w || t - w.start >= 60_000) {
      if (windows.size > 100_000) windows.clear(); // a flood of addresses must not grow memory
      w = { start: t, count: 0 };
      windows.set(client, w);
    }
    w.count += 1;
    return w.count > options.rateLimitPerMinute ? Math.ceil((w.start + 60_000 - t) / 1000) : undefined;
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    const path = url.split('?', 1)[0] ?? '';
    if (!path.startsWith(PREFIX)) return false;
    const id = options.requestId(req, res);
    const retryAfter = limited(req.socket.remoteAddress ?? 'unknown');
    if (retryAfter !== undefined) {
      res.writeHead(429, {
        'content-type': 'application/problem+json; charset=utf-8',
        'retry-after': String(retryAfter),
      });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          code: 'rate_limited',
          detail: `More than ${options.rateLimitPerMinute} requests a minute from this client; retry in ${retryAfter} s.`,
          instance: path,
          requestId: id,
        }),
      );
      return true;
    }
    if (req.method !== 'GET') return false;
    const stored = pages.get(url);
    if (stored) {
      pages.delete(url); // most recently used last
      pages.set(url, stored);
      if (stored.etag && req.headers['if-none-match'] === stored.etag)
        res.writeHead(304, stored.headers304).end();
      else res.writeHead(200, stored.headers).end(stored.body);
      return true;
    }
    capture(res, (entry) => {
      pages.set(url, entry);
      if (pages.size > MAX_ENTRIES) pages.delete(pages.keys().next().value as string);
    });
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
      keep({
        headers,
        headers304: Object.fromEntries(
          Object.entries(headers).filter(([name]) => name !== 'content-length' && name !== 'content-type'),
        ),
        etag: typeof headers.etag === 'string' ? headers.etag : undefined,
        body: Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk),
      });
    }
    return end(...args);
  }) as ServerResponse['end'];
}
