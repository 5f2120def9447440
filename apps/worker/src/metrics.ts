/**
 * The worker's `GET /metrics` on WORKER_METRICS_PORT: the Temporal SDK's own metrics (task
 * latencies, slots, pollers, sticky cache, workflow and activity outcomes; prefixed `temporal_`)
 * and the process's (prom-client's defaults), in one exposition.
 *
 * The SDK's Rust core exports its metrics through a Prometheus server of its own
 * (Runtime.install telemetryOptions.metrics.prometheus); it is bound to a loopback port nobody
 * else needs to know, and each scrape of /metrics reads it and appends it to the process's
 * metrics, so Prometheus scrapes one port with one token.
 */
import { createServer } from 'node:net';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { AppConfig } from '@openccs/config';
import { startMetricsServer, type MetricsServer } from '@openccs/observability';

/** Metric names the worker registers besides prom-client's defaults and the SDK's. */
export const WORKER_METRIC_NAMES = ['openccs_worker_sdk_metrics_up'] as const;

const SDK_SCRAPE_TIMEOUT_MS = 2_000;

/** A loopback port free right now, for the SDK's internal exporter. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The Runtime telemetry options that make the SDK serve its metrics on `port` (loopback only). */
export function sdkTelemetry(port: number) {
  return {
    metrics: {
      prometheus: {
        bindAddress: `127.0.0.1:${port}`,
        // Prometheus's convention; the names stay as the SDK documents them (no unit suffix).
        useSecondsForDurations: true,
      },
    },
  };
}

/** Serves /metrics until closed; `undefined` when WORKER_METRICS_PORT is 0. */
export async function startWorkerMetrics(
  config: AppConfig,
  sdkPort: number | undefined,
): Promise<MetricsServer | undefined> {
  if (config.observability.workerMetricsPort === 0) return undefined;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const sdkUp = new Gauge({
    name: 'openccs_worker_sdk_metrics_up',
    help: 'Whether the Temporal SDK’s metrics could be read for this scrape (1) or not (0).',
    registers: [registry],
  });
  const sdkMetrics = async (): Promise<string> => {
    if (sdkPort === undefined) return '';
    try {
      const res = await fetch(`http://127.0.0.1:${sdkPort}/metrics`, {
        signal: AbortSignal.timeout(SDK_SCRAPE_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const text = await res.text();
      sdkUp.set(1);
      return text;
    } catch {
      sdkUp.set(0);
      return '';
    }
  };
  return startMetricsServer(config.http.host, config.observability.workerMetricsPort, {
    gather: async () => {
      const sdk = await sdkMetrics();
      const own = await registry.metrics();
      return sdk ? `${own}\n${sdk.endsWith('\n') ? sdk : `${sdk}\n`}` : own;
    },
    contentType: registry.contentType,
    token: config.observability.metricsToken,
  });
}
