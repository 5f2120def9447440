/**
 * The API's Temporal client. The connection is lazy so the API starts (and reports not-ready)
 * while Temporal is down, and it is closed when the application shuts down.
 */
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type * as OtelInterceptors from '@temporalio/interceptors-opentelemetry';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { temporalDataConverter } from '@openccs/temporal-codec';

/** Loaded only when tracing is on. */
function clientTracing(): WorkflowClientInterceptor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otel = require('@temporalio/interceptors-opentelemetry') as typeof OtelInterceptors;
  return new otel.OpenTelemetryWorkflowClientInterceptor();
}

@Injectable()
export class TemporalClient implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(APP_CONFIG) readonly config: AppConfig) {
    this.connection = Connection.lazy({
      address: config.temporal.address ?? '',
      connectTimeout: '3 seconds',
    });
    this.client = new Client({
      connection: this.connection,
      namespace: config.temporal.namespace,
      // Everything sent to Temporal is encrypted (docs/operations.md, "Temporal payload encryption").
      dataConverter: temporalDataConverter(config.temporal.payloadKeys),
      // With tracing on, starts and updates carry the request's trace to the workflow (headers).
      ...(config.observability.otlpEndpoint ? { interceptors: { workflow: [clientTracing()] } } : {}),
    });
  }

  get taskQueue(): string {
    return this.config.temporal.taskQueue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClient], exports: [TemporalClient] })
export class TemporalModule {}

export const InjectTemporal = () => Inject(TemporalClient);
