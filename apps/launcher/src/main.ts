/**
 * `npm start`: the whole system on one machine. Starts what is not given from outside
 * (embedded PostgreSQL unless DATABASE_URL, a Temporal dev server unless TEMPORAL_ADDRESS),
 * prepares the database, then runs the worker and the API as processes of their own.
 * SIGINT/SIGTERM stop everything in reverse order; a child that dies stops the whole stack
 * with exit code 1, so a broken system never looks half alive.
 */
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createLogger, exitOnFatal, loadConfig, type AppConfig } from '@openccs/config';
import {
  loadOrCreateLocalSecrets,
  PidFile,
  resolveTemporalCli,
  sleep,
  startEmbeddedPostgres,
  startTemporalDevServer,
  stopChild,
} from '@openccs/devstack';
import { createDataSource, prepareDatabase } from '@openccs/persistence';
import { calendarWarnings, loadProfile } from '@openccs/profile';

type Stop = () => Promise<void>;

class Stack {
  private readonly stops: Array<[string, Stop]> = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  add(name: string, stop: Stop): void {
    this.stops.push([name, stop]);
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Stops in reverse start order, each given its own grace period by its stop function. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const [name, stop] of [...this.stops].reverse()) {
        this.log.info({ component: name }, 'stopping');
        await stop().catch((err: unknown) => this.log.error({ err, component: name }, 'stop failed'));
      }
    })();
    return this.stopping;
  }
}

let stack: Stack | undefined;

/** Stops everything started so far, then exits with `code`. */
function shutdown(reason: string, code: number, log: Logger): void {
  if (!stack || stack.isStopping) return;
  log.info({ reason }, 'shutting down');
  void stack.stop().then(() => process.exit(code));
}

async function main(): Promise<void> {
  const config = loadConfig('launcher', process.env);
  // A broken profile stops start-up before anything is started, with one line per problem.
  const profile = loadProfile(config.profile);
  const log = createLogger(config, 'launcher');
  log.info({ profile: profile.name, directory: profile.directory }, 'deployment profile');
  for (const warning of calendarWarnings(profile)) log.warn(warning);
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets = loadOrCreateLocalSecrets(dataDir);
  stack = new Stack(log);
  process.once('SIGINT', () => shutdown('SIGINT', 0, log));
  process.once('SIGTERM', () => shutdown('SIGTERM', 0, log));

  const databaseUrl =
    config.databaseUrl ?? (await startPostgres(config, dataDir, secrets.postgresPassword, stack, log));
  const temporalAddress = config.temporal.address ?? (await startTemporal(config, dataDir, stack, log));
  if (stack.isStopping) return;

  const ds = await createDataSource(databaseUrl, 'openccs-launcher').initialize();
  try {
    const result = await prepareDatabase(ds, {
      adminPassword: config.adminPassword,
      demoData: config.demoData,
      profile,
    });
    if (result.migrationsApplied.length > 0)
      log.info({ migrations: result.migrationsApplied }, 'migrations applied');
    if (result.generatedAdminPassword) {
      process.stdout.write(
        `\n  Created the admin user. Username: admin  Password: ${result.generatedAdminPassword}\n` +
          '  (shown once; set ADMIN_PASSWORD before the first start to choose it)\n',
      );
    }
    if (result.demoPassword) {
      process.stdout.write(
        `  Demo users ${profile.demo.people.map((p) => p.username).join(', ')}. Password: ${result.demoPassword}\n\n`,
      );
    }
  } finally {
    await ds.destroy();
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    JWT_SECRET: config.auth.jwtSecret ?? secrets.jwtSecret,
    LOG_SIGNING_KEY: config.disclosure.signingKey ?? secrets.logSigningKey,
    // A rotation staged but not finished: both keys, each process signs with the one in force.
    ...(!config.disclosure.signingKey && secrets.nextLogSigningKey
      ? { LOG_SIGNING_KEY_NEXT: secrets.nextLogSigningKey }
      : {}),
    FEEDBACK_SECRET: config.feedback.secret ?? secrets.feedbackSecret,
    TEMPORAL_PAYLOAD_KEYS: process.env.TEMPORAL_PAYLOAD_KEYS || secrets.temporalPayloadKeys,
  };
  const dist = resolve(__dirname, '../..');
  for (const [name, script] of [
    ['worker', join(dist, 'worker/src/main.js')],
    ['api', join(dist, 'api/src/main.js')],
  ] as const) {
    const child = fork(script, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('exit', (code, signal) => {
      if (!stack?.isStopping) {
        log.error({ component: name, code, signal }, `${name} exited unexpectedly; stopping OpenCCS`);
        shutdown(`${name} died`, 1, log);
      }
    });
    stack.add(name, async () => {
      if (await stopChild(child, 30_000))
        log.warn({ component: name }, `${name} did not stop within 30 s and was killed`);
    });
  }

  await waitForReady(config, stack, log);
  if (!stack.isStopping) {
    const url = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}`;
    log.info({ url, docs: `${url}/api/docs` }, 'OpenCCS is ready');
    process.stdout.write(
      readyBanner({
        url,
        temporalUi:
          config.temporal.address === undefined && config.temporal.uiPort !== 0
            ? `http://127.0.0.1:${config.temporal.uiPort}`
            : undefined,
        workerMetrics:
          config.observability.workerMetricsPort !== 0
            ? `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.observability.workerMetricsPort}/metrics`
            : undefined,
        dataDir,
        profile: profile.name,
      }),
    );
  }
}

/** What a person needs once everything answers: where each part is, who signs in, how to stop. */
function readyBanner(facts: {
  url: string;
  temporalUi: string | undefined;
  workerMetrics: string | undefined;
  dataDir: string;
  profile: string;
}): string {
  const rows: Array<[string, string | undefined]> = [
    ['Portal', `${facts.url}/`],
    ['Staff console', `${facts.url}/console`],
    ['API', `${facts.url}/api/v1  (docs: ${facts.url}/api/docs)`],
    ['Temporal UI', facts.temporalUi],
    ['Metrics', `${facts.url}/metrics${facts.workerMetrics ? `, worker ${facts.workerMetrics}` : ''}`],
    ['Admin user', 'admin (its password was printed at the first start, or is ADMIN_PASSWORD)'],
    ['Data', facts.dataDir],
    ['Profile', facts.profile],
  ];
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  return [
    '',
    '  OpenCCS is ready.',
    '',
    ...shown.map(([label, value]) => `    ${label.padEnd(width)}  ${value}`),
    '',
    '  Ctrl-C stops everything (the data stays under the data directory).',
    '',
    '',
  ].join('\n');
}

async function startPostgres(
  config: AppConfig,
  dataDir: string,
  password: string,
  stack: Stack,
  log: Logger,
): Promise<string> {
  const dir = join(dataDir, 'postgres');
  log.info({ dir, port: config.embeddedPgPort }, 'starting embedded PostgreSQL');
  const pg = await startEmbeddedPostgres({ dir, port: config.embeddedPgPort, password });
  stack.add('PostgreSQL', async () => {
    if (await pg.stop())
      log.warn({ component: 'PostgreSQL' }, 'PostgreSQL did not stop within 30 s and was killed');
  });
  watch('PostgreSQL', pg.exited, stack, log);
  return pg.url;
}

async function startTemporal(config: AppConfig, dataDir: string, stack: Stack, log: Logger): Promise<string> {
  const dbFile = join(dataDir, 'temporal.sqlite');
  const pidFile = new PidFile(join(dataDir, 'temporal.pid'), dbFile);
  const stale = await pidFile.reapStale();
  if (stale) log.warn({ pid: stale }, 'stopped a Temporal dev server left over from an earlier run');
  const cli = resolveTemporalCli({ explicit: config.temporal.cli, log: (msg) => log.info(msg) });
  log.info({ cli, port: config.temporal.devPort, dbFile }, 'starting the Temporal dev server');
  const server = await startTemporalDevServer({
    cli,
    port: config.temporal.devPort,
    uiPort: config.temporal.uiPort,
    namespace: config.temporal.namespace,
    dbFile,
  });
  if (server.pid !== undefined) pidFile.write(server.pid);
  stack.add('Temporal', async () => {
    await server.stop();
    pidFile.remove();
  });
  watch('Temporal', server.exited, stack, log);
  if (config.temporal.uiPort !== 0)
    log.info({ url: `http://127.0.0.1:${config.temporal.uiPort}` }, 'Temporal UI');
  return server.address;
}

function watch(name: string, exited: Promise<void>, stack: Stack, log: Logger): void {
  exited.catch((err: unknown) => {
    if (stack.isStopping) return;
    log.error({ err, component: name }, `${name} stopped unexpectedly; stopping OpenCCS`);
    shutdown(`${name} died`, 1, log);
  });
}

/**
 * Waits until the API serves: ready, or degraded (serving, but a report needs an operator, which
 * is said once, with the reason) rather than not ready.
 */
async function waitForReady(config: AppConfig, stack: Stack, log: Logger): Promise<void> {
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  for (let i = 0; i < 240 && !stack.isStopping; i++) {
    try {
      const res = await fetch(`http://${host}:${config.http.port}/health/ready`);
      if (res.ok) return;
      const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
      // A worker that has not polled yet is still starting; anything else degraded is for an operator.
      if (problem.code === 'degraded' && !/polled the task queue/.test(problem.detail ?? '')) {
        log.warn({ detail: problem.detail }, 'OpenCCS serves, but needs attention');
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
}

main().catch(async (err: unknown) => {
  // Whatever was started before the failure is stopped before the process exits.
  await stack?.stop();
  exitOnFatal('launcher')(err);
});
