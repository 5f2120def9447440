/**
 * The outermost layer of the API's HTTP server: answers `GET /metrics` (before the public edge,
 * so a scrape is never rate-limited nor cached), times every other request into
 * openccs_http_request_duration_seconds, and, when tracing is on, opens the request's server span
 * in whose context the Temporal client's spans are made.
 *
 * The route label is the route's template as Express matched it (`/api/v1/reports/:id`), never
 * the path: ids in labels would make a new time series per report. A response the public edge
 * replays from its cache is labelled with the route it caches; anything else that matched no
 * route (a 404, a rate-limited request, the API docs' static files) is `unmatched`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type * as OtelApi from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { installMetricsEndpoint } from '@openccs/observability';
import { cacheKey } from '../public/public-edge';
import type { ApiMetrics } from './api-metrics';

export const UNMATCHED_ROUTE = 'unmatched';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** The route template a finished request was served by. Exported for its tests. */
export function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  const template = typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
  // A catch-all at the root (the framework's not-found handler) matched no route of ours.
  if (template !== undefined && !template.startsWith('/{*')) return template;
  const cached = cacheKey(req.url ?? '');
  if (cached !== undefined)
    return cached.startsWith('records') ? '/public/v1/records' : '/public/v1/projects/:code/records';
  return UNMATCHED_ROUTE;
}

export interface HttpInstrumentationOptions {
  metrics: ApiMetrics;
  metricsToken: string | undefined;
  /** Set only when tracing is on. */
  tracer: Tracer | undefined;
}

export function installHttpInstrumentation(server: Server, options: HttpInstrumentationOptions): void {
  const { metrics, tracer } = options;
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    for (const h of handlers) h(req, res);
  };
  const traced = tracer ? tracedHandler(tracer, handle) : handle;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe(
        { method: req.method ?? 'GET', route: routeOf(req), status: String(res.statusCode) },
        seconds,
      );
    });
    traced(req, res);
  });
  // Outside the timing above: a scrape does not count itself.
  installMetricsEndpoint(server, {
    gather: () => metrics.registry.metrics(),
    contentType: metrics.registry.contentType,
    token: options.metricsToken,
  });
}

/** Runs the request in a server span continuing the caller's trace (W3C traceparent), if any. */
function tracedHandler(
  tracer: Tracer,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const api = require('@opentelemetry/api') as typeof OtelApi;
  return (req, res) => {
    const parent = api.propagation.extract(api.ROOT_CONTEXT, req.headers);
    const method = req.method ?? 'GET';
    const span = tracer.startSpan(
      method,
      { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': method } },
      parent,
    );
    res.once('close', () => {
      const route = routeOf(req);
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
      span.end();
    });
    api.context.with(api.trace.setSpan(parent, span), () => handle(req, res));
  };
}
