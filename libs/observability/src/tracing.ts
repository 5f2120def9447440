/**
 * Optional OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT): one trace from an API request
 * through the Temporal client to the workflow and its activities. Nothing here is loaded, and
 * no span is made, unless an endpoint is configured: `startTracing` returns `undefined` and the
 * callers add no interceptor, so tracing off costs nothing per request.
 *
 * The OTel JS SDK 1.x line (core/resources/sdk-trace-base 1.30, OTLP exporter 0.57): it is what
 * @temporalio/interceptors-opentelemetry 1.24 is built against, and it runs on Node 20 (the 2.x
 * line's newest exporters ask for Node >= 22.15).
 */
import type * as OtelApi from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as OtelCore from '@opentelemetry/core';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtelResources from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  readonly resource: Resource;
  /** Also handed to the workflow span sink, so workflow spans leave by the same exporter. */
  readonly spanProcessor: SpanProcessor;
  readonly tracer: Tracer;
  /** Sends what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** Where spans go: the OTLP/HTTP traces path under the configured base URL. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** Registers the global tracer provider and W3C propagation; `undefined` when tracing is off. */
export function startTracing(endpoint: string | undefined, serviceName: string): Tracing | undefined {
  if (!endpoint) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const api = require('@opentelemetry/api') as typeof OtelApi;
  const { AsyncLocalStorageContextManager } =
    require('@opentelemetry/context-async-hooks') as typeof ContextAsyncHooks;
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof OtelCore;
  const { Resource: ResourceClass } = require('@opentelemetry/resources') as typeof OtelResources;
  const { BasicTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const resource = new ResourceClass({ 'service.name': serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(endpoint) }), {
    // Spans of a slow approval line are worth little if they arrive minutes later.
    scheduledDelayMillis: 1000,
  });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new W3CTraceContextPropagator(),
  });
  return {
    resource,
    spanProcessor,
    tracer: api.trace.getTracer('openccs'),
    shutdown: () => provider.shutdown(),
  };
}
