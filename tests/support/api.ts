/** A second API process of the system under test, with settings of its own (same database and Temporal). */
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@openccs/config';
import { createApiApp } from '../../apps/api/src/app';

export interface ExtraApi {
  app: INestApplication;
  base: string;
}

export async function startApi(overrides: Record<string, string>): Promise<ExtraApi> {
  const config = loadConfig('api', { ...process.env, ...overrides });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, base: `http://127.0.0.1:${address.port}` };
}
