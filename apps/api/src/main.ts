/** The API process: staff API, public API and health checks on one port. */
import 'reflect-metadata';
import { exitOnFatal, loadConfig } from '@openccs/config';
import { startTracing } from '@openccs/observability';
import { createApiApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig('api', process.env);
  // Before the app: its Temporal client and request spans use the provider registered here.
  startTracing(config.observability.otlpEndpoint, 'openccs-api');
  const app = await createApiApp(config);
  // Started by the launcher: if the launcher dies, its IPC channel closes and the API must go too.
  process.once('disconnect', () => void app.close());
  await app.listen(config.http.port, config.http.host);
}

main().catch(exitOnFatal('api'));
