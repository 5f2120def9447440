import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfigModule, logDestination, loggerOptions, type AppConfig } from '@openccs/config';
import { PersistenceModule } from '@openccs/persistence';
import { ProfileModule, type Profile } from '@openccs/profile';
import { ApprovalLinesController } from './approval-lines/approval-lines.controller';
import { ApprovalLinesService } from './approval-lines/approval-lines.service';
import { AuthModule } from './auth/auth.module';
import { IdempotencyInterceptor } from './common/idempotency';
import { ProblemFilter } from './common/problem.filter';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';
import { HealthController } from './health/health.controller';
import { NotificationsController, WebhooksController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { AuditController } from './audit/audit.controller';
import { StuckController } from './admin/stuck.controller';
import { WorkflowHealth } from './admin/workflow-health';
import { ApiMetrics } from './metrics/api-metrics';
import { TracingFlush } from './metrics/tracing-flush';
import { OrganizationsController } from './organizations/organizations.controller';
import { OrganizationsService } from './organizations/organizations.service';
import { PortalController } from './portal/portal.controller';
import { ProjectAccess } from './projects/project-access';
import { PublicController } from './public/public.controller';
import { PublicService } from './public/public.service';
import { TransparencyService } from './public/transparency.service';
import { FeedbackController, PublicFeedbackController } from './feedback/feedback.controller';
import { FeedbackService } from './feedback/feedback.service';
import { ConsoleFeedbackController } from './console/console-feedback.controller';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { ProjectSheets } from './projects/project-sheets';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { WorkflowStarter } from './temporal/workflow-starter';
import { TemporalCodecModule } from './temporal/temporal-codec.module';
import { ReportWorkflows } from './temporal/report-workflows';
import { TemporalModule } from './temporal/temporal.module';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsService } from './documents/documents.service';
import { FilesAdminController, FilesController } from './files/files.controller';
import { FILE_STORE, FilesService } from './files/files.service';
import { PublicFilesController } from './files/public-files.controller';
import { createFileStore } from '@openccs/files';
import { ConsoleController, ConsoleFallbackController } from './console/console.controller';
import { ConsoleAdminController } from './console/console-admin.controller';
import { ConsoleFrames } from './console/console-frame';

/** pino-http's options, with the pretty stream (LOG_FORMAT=pretty) when there is one. */
function withDestination<T>(
  options: T,
  destination: DestinationStream | undefined,
): T | [T, DestinationStream] {
  return destination ? [options, destination] : options;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a caller's x-request-id when it is sane, else makes one; echoes it on the response. */
export function requestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/**
 * A request's log line, without who a citizen is: for feedback paths (submission, tracking,
 * follow-up) neither their address nor their tracking code is written down (docs/feedback.md).
 */
function withoutCitizen(req: {
  url?: string;
  remoteAddress?: string;
  remotePort?: number;
  headers?: Record<string, unknown>;
}) {
  if (!req.url || !/\/feedback(\/|$|\?)/.test(req.url) || req.url.startsWith('/api/v1/')) return req;
  const { remoteAddress: _address, remotePort: _port, headers = {}, ...rest } = req;
  const { 'x-forwarded-for': _forwarded, 'x-real-ip': _real, forwarded: _f, ...kept } = headers;
  return {
    ...rest,
    url: req.url.replace(/\/feedback\/(?!challenge)[^/?]+/, '/feedback/{trackingCode}'),
    headers: kept,
  };
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, profile: Profile): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ProfileModule.forRoot(profile),
        LoggerModule.forRoot({
          pinoHttp: withDestination(
            {
              ...loggerOptions(config, 'api'),
              genReqId: requestId,
              customLogLevel: (_req, res, err) =>
                err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
              autoLogging: { ignore: (req) => req.url?.startsWith('/health/') ?? false },
              serializers: { req: withoutCitizen },
            },
            logDestination(config),
          ),
          // No access-log line per public read: anonymous, cacheable and many (the reverse proxy's
          // access log and /metrics count them), and pino-http's per-request child logger, built
          // even when nothing is written, cost them about a tenth of their throughput
          // (docs/performance.md, "Public read"). An unexpected error in one is still logged
          // with its request id (ProblemFilter).
          exclude: [{ method: RequestMethod.GET, path: 'public/v1/{*rest}' }],
        }),
        PersistenceModule.forRoot(config.databaseUrl ?? '', 'openccs-api'),
        TemporalModule,
        AuthModule,
        TemporalCodecModule,
      ],
      controllers: [
        // First: Express tries routes in the order they were registered, and the public reads are
        // the most frequent requests by far; the staff routes' own work dwarfs a longer search.
        PublicController,
        HealthController,
        OrganizationsController,
        AuditController,
        StuckController,
        UsersController,
        ProjectsController,
        ApprovalLinesController,
        ReportsController,
        EscalationsController,
        NotificationsController,
        WebhooksController,
        PublicFilesController,
        FilesController,
        FilesAdminController,
        DocumentsController,
        FeedbackController,
        PublicFeedbackController,
        PortalController,
        ConsoleController,
        ConsoleAdminController,
        ConsoleFeedbackController,
        // Last: it answers every /console address the others do not.
        ConsoleFallbackController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        // Not global: on the staff controllers only (@UseInterceptors), so that public reads run
        // no interceptor pipeline at all (docs/performance.md, "Public read").
        IdempotencyInterceptor,
        ProjectAccess,
        ApprovalLinesService,
        ReportsService,
        ReportWorkflows,
        EscalationsService,
        NotificationsService,
        PublicService,
        TransparencyService,
        FeedbackService,
        OrganizationsService,
        UsersService,
        ProjectsService,
        ProjectSheets,
        WorkflowStarter,
        WorkflowHealth,
        ApiMetrics,
        TracingFlush,
        { provide: FILE_STORE, useValue: createFileStore(config.files) },
        FilesService,
        DocumentsService,
        ConsoleFrames,
      ],
    };
  }
}
