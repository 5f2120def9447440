/**
 * With tracing on, a stopping API sends the spans still buffered (the batch leaves every second)
 * before it exits, so the last requests before a deploy are not missing from their traces.
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type * as OtelApi from '@opentelemetry/api';
import { APP_CONFIG, type AppConfig } from '@openccs/config';

@Injectable()
export class TracingFlush implements OnApplicationShutdown {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.config.observability.otlpEndpoint) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
    const api = require('@opentelemetry/api') as typeof OtelApi;
    // The global provider is a proxy; the one startTracing registered can flush.
    const provider = api.trace.getTracerProvider() as {
      getDelegate?: () => { forceFlush?: () => Promise<void> };
    };
    await provider
      .getDelegate?.()
      .forceFlush?.()
      .catch(() => undefined);
  }
}
