/** The worker process: runs OpenCCS's workflows and activities until told to stop. */
import 'reflect-metadata';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { createLogger, exitOnFatal, loadConfig, type AppConfig } from '@openccs/config';
import { startTracing } from '@openccs/observability';
import { startHeartbeat } from './heartbeat';
import { freeLoopbackPort, sdkTelemetry, startWorkerMetrics } from './metrics';
import { startWorker } from './worker';

const SDK_LEVELS: Record<AppConfig['logLevel'], LogLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
};

async function main(): Promise<void> {
  const config = loadConfig('worker', process.env);
  const logger = createLogger(config, 'worker');
  // The SDK's metrics are served on a loopback port and merged into /metrics (metrics.ts).
  const sdkPort = config.observability.workerMetricsPort === 0 ? undefined : await freeLoopbackPort();
  Runtime.install({
    ...(sdkPort !== undefined ? { telemetryOptions: sdkTelemetry(sdkPort) } : {}),
    logger: new DefaultLogger(SDK_LEVELS[config.logLevel], ({ level, message, meta }) => {
      const method =
        level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : level === 'INFO' ? 'info' : 'debug';
      logger[method](meta ?? {}, message);
    }),
  });
  const tracing = startTracing(config.observability.otlpEndpoint, 'openccs-worker');
  const running = await startWorker(config, logger, { tracing });
  // A port already taken costs the metrics, not the workflows: the worker runs on, and the
  // scrape's `up == 0` tells the operator.
  const metrics = await startWorkerMetrics(config, sdkPort).catch((err: unknown) => {
    logger.error(
      { err, port: config.observability.workerMetricsPort },
      'the worker metrics endpoint could not start; the worker runs without it',
    );
    return undefined;
  });
  if (metrics) logger.info({ port: metrics.port }, 'worker metrics at /metrics');
  const stopHeartbeat = startHeartbeat(() => running.worker.getState() === 'RUNNING');
  const stop = (reason: string) => {
    logger.info({ reason }, 'worker shutting down: draining running tasks');
    void running.shutdown();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Started by the launcher: if the launcher dies, its IPC channel closes and the worker must go too.
  process.once('disconnect', () => stop('launcher gone'));
  logger.info(
    { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace },
    'worker running',
  );
  await running.done.finally(stopHeartbeat);
  await metrics?.close();
  // The workflow and activity spans still buffered.
  await tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'flushing traces failed'));
  logger.info('worker stopped');
  // An open IPC channel to the launcher would keep this process alive after the worker stopped.
  if (process.connected) process.disconnect();
}

main().catch(exitOnFatal('worker'));
