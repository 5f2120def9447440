/**
 * `GET /metrics` in the Prometheus text format, as the API and the worker both serve it: never
 * cached, optionally behind a bearer token (METRICS_TOKEN), answered before anything else on the
 * server so that neither the public rate limit nor the framework sees a scrape.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const METRICS_PATH = '/metrics';

export interface MetricsEndpointOptions {
  /** The exposition text; several sources may be concatenated (each with distinct metric names). */
  gather: () => Promise<string>;
  contentType: string;
  /** When set, a scrape must carry `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/** Compared by their digests, so neither the length nor the content leaks through timing. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Answers `/metrics` (true) or leaves the request alone (false). The path is matched exactly as
 * sent, with or without a query string: Prometheus asks for nothing else.
 */
export function metricsHandler(options: MetricsEndpointOptions) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    if (url !== METRICS_PATH && !url.startsWith(`${METRICS_PATH}?`)) return false;
    const headers = { 'cache-control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return true;
    }
    if (options.token !== undefined) {
      const [scheme, given] = (req.headers.authorization ?? '').split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || !given || !sameToken(given, options.token)) {
        res
          .writeHead(401, {
            ...headers,
            'www-authenticate': 'Bearer realm="metrics"',
            'content-type': 'text/plain; charset=utf-8',
          })
          .end('A bearer token (METRICS_TOKEN) is required.\n');
        return true;
      }
    }
    options.gather().then(
      (body) => {
        res.writeHead(200, { ...headers, 'content-type': options.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        res.writeHead(500, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics could not be gathered: ${(err as Error).message}\n`);
      },
    );
    return true;
  };
}

/** Puts the endpoint in front of every other listener of an existing server (the API's). */
export function installMetricsEndpoint(server: Server, options: MetricsEndpointOptions): void {
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  const metrics = metricsHandler(options);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (metrics(req, res)) return;
    for (const handle of handlers) handle(req, res);
  });
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A server of its own that serves only `/metrics` (the worker's, which has no other HTTP). */
export async function startMetricsServer(
  host: string,
  port: number,
  options: MetricsEndpointOptions,
): Promise<MetricsServer> {
  const metrics = metricsHandler(options);
  const server = createServer((req, res) => {
    if (!metrics(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // A scrape must not keep a stopping worker alive.
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
