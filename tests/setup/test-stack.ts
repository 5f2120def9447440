/**
 * The real system the integration tests run against, started once per run: PostgreSQL
 * (DATABASE_URL's server, else embedded) with a fresh database, a Temporal dev server
 * (TEMPORAL_ADDRESS, else started here), the worker and the API, in this process.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { createLogger, loadConfig, newPayloadKeys, type AppConfig } from '@openccs/config';
import { resolveTemporalCli, startEmbeddedPostgres, startTemporalDevServer } from '@openccs/devstack';
import { createDataSource, prepareDatabase } from '@openccs/persistence';
import { createApiApp } from '../../apps/api/src/app';
import { freeLoopbackPort } from '../../apps/worker/src/metrics';
import { startWorker } from '../../apps/worker/src/worker';

export const TEST_ADMIN_PASSWORD = 'test-admin-password-1';
export const CONTINUE_AS_NEW_AFTER_EVENTS = 80;

/** A free loopback port: the worker's own helper for its metrics exporter. */
export const freePort = freeLoopbackPort;

/** Creates a database of its own for this run on the server behind `serverUrl`. */
async function createRunDatabase(serverUrl: string): Promise<string> {
  const name = `openccs_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestStack {
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse())
      await s().catch((err: unknown) => console.error('test stack stop failed', err));
  };
  try {
    let serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      const dir = join(mkdtempSync(join(tmpdir(), 'openccs-test-')), 'postgres');
      const pg = await startEmbeddedPostgres({
        dir,
        port: await freePort(),
        password: randomBytes(12).toString('hex'),
        database: 'postgres',
      });
      stops.push(async () => {
        await pg.stop();
        rmSync(dirname(dir), { recursive: true, force: true });
      });
      serverUrl = pg.url;
    }
    const databaseUrl = await createRunDatabase(serverUrl);

    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const cli = resolveTemporalCli({ explicit: process.env.TEMPORAL_CLI || undefined, log: console.log });
      const server = await startTemporalDevServer({
        cli,
        port: await freePort(),
        uiPort: 0,
        namespace: 'default',
        // Small enough that a long-lived report in the tests continues as new (production default: 4096).
        dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': CONTINUE_AS_NEW_AFTER_EVENTS },
      });
      stops.push(() => server.stop());
      temporalAddress = server.address;
    }

    const env: Record<string, string> = {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      // A task queue of its own, so a run never feeds another run's worker on a shared server.
      TEMPORAL_TASK_QUEUE: `openccs-test-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      FEEDBACK_SECRET: randomBytes(32).toString('hex'),
      TEMPORAL_PAYLOAD_KEYS: newPayloadKeys('test'),
      // The Temporal UI the codec endpoint answers browsers of (temporal-encryption.test.ts).
      TEMPORAL_CODEC_CORS_ORIGIN: 'http://temporal-ui.test:8233',
      LOG_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      PORT: String(await freePort()),
      OPENCCS_TEST_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      // Webhook retries within a test's patience (production: PT10S, doubling).
      WEBHOOK_RETRY_INITIAL: 'PT1S',
      // A lock-out a test can wait out (production: PT15M).
      LOGIN_LOCKOUT_DURATION: 'PT2S',
      // Every test signs in from 127.0.0.1; the per-client limit has a test of its own.
      LOGIN_RATE_LIMIT: '1000000',
      // A stuck report is reported after seconds, not a quarter of a minute (production: 5).
      STUCK_AFTER_ATTEMPTS: '3',
      // Every test sends feedback from 127.0.0.1 and solves its challenges: the limit and the
      // difficulty have tests of their own (feedback.test.ts).
      FEEDBACK_CLIENT_LIMIT: '1000000',
      FEEDBACK_POW_MAX_NUMBER: '5000',
      // Map tiles nobody answers for: the portal's map must work without them, as here.
      MAP_TILES_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png',
    };
    const apiConfig: AppConfig = loadConfig('api', env);

    const ds = await createDataSource(databaseUrl, 'openccs-test-setup').initialize();
    await prepareDatabase(ds, { adminPassword: TEST_ADMIN_PASSWORD, demoData: false });
    await ds.destroy();

    const worker = await startWorker(loadConfig('worker', env), createLogger(apiConfig, 'test-worker'));
    stops.push(() => worker.shutdown());

    const app = await createApiApp(apiConfig);
    await app.listen(apiConfig.http.port, '127.0.0.1');
    stops.push(() => app.close());
    env.OPENCCS_TEST_API_URL = `http://127.0.0.1:${apiConfig.http.port}`;
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
