/** Builds the HTTP application with everything every deployment needs; used by main and the tests. */
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type * as OtelApi from '@opentelemetry/api';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { tilesOrigin, type AppConfig } from '@openccs/config';
import { loadProfile } from '@openccs/profile';
import { urlencoded, type NextFunction, type Request, type Response } from 'express';
import { AppModule, requestId } from './app.module';
import { bodyParserErrors } from './common/body-parser-errors';
import { clientKeyOf, trustFunction } from './common/client-address';
import { inputGuard } from './common/input-guard';
import { QuietStartupLogger } from './common/startup-logger';
import { createValidationPipe } from './common/validation.pipe';
import { createOpenApiDocument, methodNotAllowed } from './openapi';
import { installPublicEdge } from './public/public-edge';
import { ApiMetrics } from './metrics/api-metrics';
import { installHttpInstrumentation } from './metrics/http-instrumentation';
import { CODEC_PATH, codecCors } from './temporal/temporal-codec.cors';

/** How long one request (an upload, above all) may take from its first byte to its last. */
export const REQUEST_TIMEOUT_MS = 30 * 60_000;

export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const profile = loadProfile(config.profile);
  // The body parser is registered after the request id, so even an unreadable body gets a traceable problem.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, profile), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    req.id = requestId(req, res);
    next();
  });
  // The Temporal UI's calls to the payload codec: its preflight is answered before anything else.
  app.use(CODEC_PATH, codecCors(config));
  app.useBodyParser('json', { limit: '1mb' });
  // The console's forms (without a script, a form posts urlencoded), and the portal's one form.
  app.use('/console', urlencoded({ extended: false, limit: '256kb', parameterLimit: 100 }));
  // The portal's one form: a citizen's feedback on a project.
  app.use(
    /^\/projects\/[^/]+\/feedback$/,
    urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 }),
  );
  app.use(bodyParserErrors);
  // Before guards, interceptors and pipes: no string a layer below refuses gets any further.
  app.use(inputGuard);
  // Browsers are told to upgrade requests to https only when the site is served over https: a
  // plain-http address on a site office's network must still take the console's forms.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: config.publicApi.publicUrl.startsWith('https:') ? [] : null,
          // The portal map's tiles (MAP_TILES_URL); nothing else is loaded from elsewhere.
          imgSrc: ["'self'", 'data:', tilesOrigin(config.map.tilesUrl)],
        },
      },
    }),
  );
  app.use(noStoreForStaff);
  app.disable('x-powered-by');
  const trust = trustFunction(config.trustProxy);
  app.set('trust proxy', trust);
  // Strong validators let a CDN or browser revalidate public pages byte for byte.
  app.set('etag', 'strong');
  app.useGlobalPipes(createValidationPipe(profile));
  app.enableShutdownHooks();
  // Node ends a request after 5 minutes by default; a 50 MB upload from a site office's slow
  // line may need longer (docs/limits.md). Headers must still arrive within headersTimeout.
  (app.getHttpServer() as Server).requestTimeout = REQUEST_TIMEOUT_MS;

  // In front of the framework: the public API's rate limit and its cache of pages that never
  // change (a replayed page carries the security headers it was first sent with).
  installPublicEdge(app.getHttpServer(), {
    rateLimitPerMinute: config.publicApi.rateLimitPerMinute,
    cacheBytes: config.publicApi.cacheBytes,
    clientKey: clientKeyOf(trust),
    requestId: (req, res) => (req.id = requestId(req, res)),
  });
  // Outermost: /metrics, request durations and (OTEL_EXPORTER_OTLP_ENDPOINT) request spans.
  installHttpInstrumentation(app.getHttpServer(), {
    metrics: app.get(ApiMetrics),
    metricsToken: config.observability.metricsToken,
    tracer: config.observability.otlpEndpoint ? requestTracer() : undefined,
  });
  const document = createOpenApiDocument(app);
  app.use(methodNotAllowed(document));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/**
 * Staff responses (tokens, reports, anything behind a bearer token) must never sit in a shared
 * or browser cache: the next person at the site office's PC could read them.
 */
function noStoreForStaff(req: Request, res: Response, next: NextFunction): void {
  const path = req.path.toLowerCase();
  if (path.startsWith('/api/v1/') || path.startsWith('/console')) res.setHeader('Cache-Control', 'no-store');
  next();
}

/** The tracer of request spans, from the provider main registered (startTracing). */
function requestTracer() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const api = require('@opentelemetry/api') as typeof OtelApi;
  return api.trace.getTracer('openccs-api');
}
