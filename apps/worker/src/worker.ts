/**
 * Builds the Temporal worker: a Nest application context supplies the activities, the workflow
 * code comes from the prebuilt bundle or the sources. Used by the worker process and the tests.
 */
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type * as OtelInterceptors from '@temporalio/interceptors-opentelemetry';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@openccs/config';
import type { Tracing } from '@openccs/observability';
import { ActivityFailures, bindActivities } from '@openccs/activities';
import { WorkflowProblemsRepository } from '@openccs/persistence';
import { loadProfile } from '@openccs/profile';
import { temporalDataConverter } from '@openccs/temporal-codec';
import { ensureSearchAttributes } from './search-attributes';
import { WorkerModule } from './worker.module';
import { WORKFLOW_TRACING_MODULE, workflowSource } from './workflow-source';

export interface RunningWorker {
  readonly worker: Worker;
  /** Resolves when the worker has drained and everything it opened is closed; rejects if it failed. */
  readonly done: Promise<void>;
  /** Stops polling, lets running activities finish (up to the grace time), then closes everything. */
  shutdown(): Promise<void>;
}

export interface WorkerExtras {
  /** With tracing on (startTracing): workflow and activity spans, continuing the caller's trace. */
  readonly tracing?: Tracing | undefined;
}

export async function startWorker(
  config: AppConfig,
  logger: Logger,
  extras: WorkerExtras = {},
): Promise<RunningWorker> {
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, loadProfile(config.profile)),
    {
      logger: false,
    },
  );
  const connection = await NativeConnection.connect({ address: config.temporal.address ?? '' });
  try {
    const registered = await ensureSearchAttributes(connection, config.temporal.namespace);
    if (registered.length > 0) logger.info({ registered }, 'registered missing search attributes');
    const source = workflowSource({ traced: extras.tracing !== undefined });
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: bindActivities(app),
      // Inputs, results and failure messages are encrypted before they reach Temporal.
      dataConverter: temporalDataConverter(config.temporal.payloadKeys),
      // Failures that retrying cannot fix become non-retryable; long retries are reported as stuck.
      interceptors: {
        activity: [
          ...(extras.tracing ? tracedActivities() : []),
          (ctx) => ({
            inbound: new ActivityFailures(
              ctx,
              app.get(WorkflowProblemsRepository),
              config.stuckAfterAttempts,
            ),
          }),
        ],
        // A prebuilt bundle holds them already (bundle-workflows.ts); sources are bundled with them.
        ...(extras.tracing && source.workflowsPath ? { workflowModules: [WORKFLOW_TRACING_MODULE] } : {}),
      },
      ...(extras.tracing ? { sinks: { exporter: workflowSpanSink(extras.tracing) } } : {}),
      ...source,
      // One V8 context for all workflows: much less memory and faster starts per workflow.
      reuseV8Context: true,
      shutdownGraceTime: '20 seconds',
      // After a crash, the server keeps sending a cached workflow's next task to the dead worker's
      // sticky queue until this runs out; the default (10 s) would stall every in-flight report.
      stickyQueueScheduleToStartTimeout: '3 seconds',
      // Bounds the worker's memory (docs/performance.md); the SDK's default follows the heap size.
      ...(config.temporal.maxCachedWorkflows !== undefined
        ? { maxCachedWorkflows: config.temporal.maxCachedWorkflows }
        : {}),
    });
    const done = (async () => {
      try {
        await worker.run();
      } finally {
        await connection
          .close()
          .catch((err: unknown) => logger.warn({ err }, 'closing the Temporal connection failed'));
        await app.close();
      }
    })();
    return {
      worker,
      done,
      async shutdown() {
        if (worker.getState() === 'RUNNING' || worker.getState() === 'INITIALIZED') worker.shutdown();
        await done;
      },
    };
  } catch (err) {
    await connection.close().catch(() => undefined);
    await app.close();
    throw err;
  }
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
const otel = () => require('@temporalio/interceptors-opentelemetry') as typeof OtelInterceptors;
/* eslint-enable @typescript-eslint/no-require-imports */

/** Activity spans, children of the workflow's span that scheduled them (outermost interceptor). */
function tracedActivities(): NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']> {
  const { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } = otel();
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
  ];
}

/** Workflow code cannot do I/O: its spans leave through this sink, by the process's span processor. */
function workflowSpanSink(tracing: Tracing) {
  return otel().makeWorkflowExporter(tracing.spanProcessor, tracing.resource);
}
