/**
 * The system under faults: the components `npm start` runs, each a process of its own so that
 * one can be killed alone, laid out in the launcher's data folder (so `npm start` can take the
 * same data over after everything is killed). Like `restart: unless-stopped` in
 * docker-compose.yml, a worker or API that dies is started again a second later.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  loadOrCreateLocalSecrets,
  resolveTemporalCli,
  startEmbeddedPostgres,
  startTemporalDevServer,
  stopChild,
  type EmbeddedPostgresHandle,
  type LocalSecrets,
  type TemporalDevServerHandle,
} from '@openccs/devstack';
import { createDataSource, prepareDatabase } from '@openccs/persistence';
import { freePort } from '../setup/test-stack';

const ROOT = join(__dirname, '../..');
export const ADMIN_PASSWORD = 'chaos-admin-password-1';

type Service = 'worker' | 'api';
const SCRIPTS: Record<Service, string> = {
  worker: join(ROOT, 'dist/apps/worker/src/main.js'),
  api: join(ROOT, 'dist/apps/api/src/main.js'),
};

export class ChaosSystem {
  readonly secrets: LocalSecrets;
  readonly restarts: Record<Service, number> = { worker: 0, api: 0 };
  private pg: EmbeddedPostgresHandle | undefined;
  private temporal: TemporalDevServerHandle | undefined;
  private readonly services = new Map<Service, ChildProcess>();
  private readonly supervised = new Set<Service>();
  private readonly logs: WriteStream;

  private constructor(
    readonly dataDir: string,
    readonly ports: { api: number; postgres: number; temporal: number },
    logDir: string,
  ) {
    this.secrets = loadOrCreateLocalSecrets(dataDir);
    mkdirSync(logDir, { recursive: true });
    this.logs = createWriteStream(join(logDir, 'system.log'), { flags: 'a' });
  }

  static async create(dataDir: string, logDir: string): Promise<ChaosSystem> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const ports = { api: await freePort(), postgres: await freePort(), temporal: await freePort() };
    return new ChaosSystem(dataDir, ports, logDir);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  get databaseUrl(): string {
    return `postgres://openccs:${encodeURIComponent(this.secrets.postgresPassword)}@127.0.0.1:${this.ports.postgres}/openccs`;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporal}`;
  }

  /** The environment `npm start` itself would be given, plus the ports of this run. */
  launcherEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPENCCS_DATA_DIR: this.dataDir,
      PORT: String(this.ports.api),
      EMBEDDED_PG_PORT: String(this.ports.postgres),
      TEMPORAL_DEV_PORT: String(this.ports.temporal),
      TEMPORAL_UI_PORT: '0',
      // Several workers run on this one host: none takes the metrics' fixed default port.
      WORKER_METRICS_PORT: '0',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    };
    for (const name of [
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'JWT_SECRET',
      'LOG_SIGNING_KEY',
      'FEEDBACK_SECRET',
      'OPENCCS_DEMO_DATA',
    ])
      delete env[name];
    return env;
  }

  private serviceEnv(): NodeJS.ProcessEnv {
    return {
      ...this.launcherEnv(),
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      JWT_SECRET: this.secrets.jwtSecret,
      LOG_SIGNING_KEY: this.secrets.logSigningKey,
      FEEDBACK_SECRET: this.secrets.feedbackSecret,
    };
  }

  async start(): Promise<void> {
    await this.startPostgres();
    const ds = await createDataSource(this.databaseUrl, 'openccs-chaos').initialize();
    try {
      await prepareDatabase(ds, { adminPassword: ADMIN_PASSWORD, demoData: false });
    } finally {
      await ds.destroy();
    }
    await this.startTemporal();
    this.startService('worker');
    this.startService('api');
    await this.waitReady();
  }

  async startPostgres(): Promise<void> {
    this.pg = await startEmbeddedPostgres({
      dir: join(this.dataDir, 'postgres'),
      port: this.ports.postgres,
      password: this.secrets.postgresPassword,
    });
  }

  /** A clean stop (PostgreSQL's fast shutdown): every connection is cut. */
  async stopPostgres(): Promise<void> {
    await this.pg?.stop();
    this.pg = undefined;
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      cli: resolveTemporalCli({ explicit: process.env.TEMPORAL_CLI || undefined, log: () => undefined }),
      port: this.ports.temporal,
      uiPort: 0,
      namespace: 'default',
      dbFile: join(this.dataDir, 'temporal.sqlite'),
    });
  }

  async stopTemporal(): Promise<void> {
    await this.temporal?.stop();
    this.temporal = undefined;
  }

  startService(name: Service): void {
    const child = spawn(process.execPath, [SCRIPTS[name]], {
      env: this.serviceEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.capture(name, child);
    this.services.set(name, child);
    this.supervised.add(name);
    child.once('exit', (code, signal) => {
      this.logs.write(`\n### ${name} exited (code ${code}, signal ${signal})\n`);
      if (this.services.get(name) !== child || !this.supervised.has(name)) return;
      this.restarts[name] += 1;
      setTimeout(() => {
        if (this.services.get(name) === child && this.supervised.has(name)) this.startService(name);
      }, 1_000).unref();
    });
  }

  /** Appends a process's output to the system log in tests/artifacts/chaos. */
  capture(name: string, child: ChildProcess): void {
    this.logs.write(`\n### ${name} started (pid ${child.pid})\n`);
    child.stdout?.pipe(this.logs, { end: false });
    child.stderr?.pipe(this.logs, { end: false });
  }

  /** SIGKILL: no shutdown hook runs, no buffer is flushed. The supervisor starts it again. */
  kill(name: Service): void {
    this.services.get(name)?.kill('SIGKILL');
  }

  /** SIGKILL of every process: services, the Temporal server, PostgreSQL's postmaster and its host. */
  killEverything(): void {
    for (const name of this.services.keys()) this.supervised.delete(name);
    for (const child of this.services.values()) child.kill('SIGKILL');
    this.services.clear();
    if (this.temporal?.pid) process.kill(this.temporal.pid, 'SIGKILL');
    this.temporal = undefined;
    const postmaster = Number(
      readFileSync(join(this.dataDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(postmaster, 'SIGKILL');
    if (this.pg) process.kill(this.pg.pid, 'SIGKILL');
    this.pg = undefined;
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(`${this.baseUrl}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`not ready within ${timeoutMs} ms; see the system log`);
  }

  async stop(): Promise<void> {
    this.supervised.clear();
    for (const child of this.services.values()) await stopChild(child, 15_000);
    this.services.clear();
    await this.stopTemporal().catch(() => undefined);
    await this.stopPostgres().catch(() => undefined);
    this.logs.end();
  }
}
