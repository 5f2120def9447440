/**
 * The system under faults: the components `npm start` runs, each a process of its own so that
 * one can be killed alone, laid out in the launcher's data folder (so `npm start` can take the
 * same data over after everything is killed). Like `restart: unless-stopped` in
 * docker-compose.yml, a worker or API that dies is started again a second later. Several APIs
 * and workers may run side by side ('api', 'api-2', …; 'worker', 'worker-2', …), each API on a
 * port of its own.
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

/** 'api' or 'worker', optionally numbered when several run side by side: 'api-2', 'worker-2'. */
export type Service = `${Kind}` | `${Kind}-${number}`;
type Kind = 'worker' | 'api';
const SCRIPTS: Record<Kind, string> = {
  worker: join(ROOT, 'dist/apps/worker/src/main.js'),
  api: join(ROOT, 'dist/apps/api/src/main.js'),
};

export class ChaosSystem {
  readonly secrets: LocalSecrets;
  readonly restarts: { worker: number; api: number; [service: string]: number } = { worker: 0, api: 0 };
  /** Set for the services started after it: e.g. PUBLIC_URL and TRUST_PROXY behind a proxy. */
  extraEnv: NodeJS.ProcessEnv = {};
  private pg: EmbeddedPostgresHandle | undefined;
  private temporal: TemporalDevServerHandle | undefined;
  private readonly services = new Map<Service, ChildProcess>();
  private readonly supervised = new Set<Service>();
  private readonly logs: WriteStream;

  private constructor(
    readonly dataDir: string,
    readonly ports: { api: number; postgres: number; temporal: number },
    logDir: string,
    /** Each API's port, by service name ('api' is `ports.api`). */
    readonly apiPorts: ReadonlyMap<Service, number>,
    /** The services `start()` starts. */
    readonly shape: readonly Service[],
    /** Each worker's metrics port: several workers on one host cannot share the default. */
    private readonly metricsPorts: ReadonlyMap<Service, number>,
  ) {
    this.secrets = loadOrCreateLocalSecrets(dataDir);
    mkdirSync(logDir, { recursive: true });
    this.logs = createWriteStream(join(logDir, 'system.log'), { flags: 'a' });
  }

  /** `apis` API and `workers` worker processes: 'api', 'api-2', …, 'worker', 'worker-2', …. */
  static async create(dataDir: string, logDir: string, { apis = 1, workers = 1 } = {}): Promise<ChaosSystem> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const ports = { api: await freePort(), postgres: await freePort(), temporal: await freePort() };
    const named = (kind: Kind, n: number): Service[] =>
      Array.from({ length: n }, (_, i) => (i === 0 ? kind : (`${kind}-${i + 1}` as const)));
    const apiPorts = new Map<Service, number>();
    for (const name of named('api', apis)) apiPorts.set(name, name === 'api' ? ports.api : await freePort());
    const metricsPorts = new Map<Service, number>();
    for (const name of named('worker', workers)) metricsPorts.set(name, await freePort());
    return new ChaosSystem(
      dataDir,
      ports,
      logDir,
      apiPorts,
      [...metricsPorts.keys(), ...apiPorts.keys()],
      metricsPorts,
    );
  }

  /** One API's own address, past any proxy. */
  urlOf(api: Service): string {
    return `http://127.0.0.1:${this.apiPorts.get(api) ?? this.ports.api}`;
  }

  /** Starts every service of the shape that is not running (a test that failed midway left it dead). */
  async startMissing(): Promise<void> {
    const missing = this.shape.filter((name) => {
      const child = this.services.get(name);
      return !child || child.exitCode !== null || child.signalCode !== null;
    });
    for (const name of missing) this.startService(name);
    if (missing.length > 0) await this.waitReady();
  }

  /** The pid of a running service. */
  pidOf(name: Service): number | undefined {
    return this.services.get(name)?.pid;
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
      'TEMPORAL_PAYLOAD_KEYS',
      'OPENCCS_DEMO_DATA',
    ])
      delete env[name];
    return env;
  }

  private serviceEnv(name: Service): NodeJS.ProcessEnv {
    return {
      ...this.launcherEnv(),
      ...this.extraEnv,
      PORT: String(this.apiPorts.get(name) ?? this.ports.api),
      ...(this.metricsPorts.has(name) ? { WORKER_METRICS_PORT: String(this.metricsPorts.get(name)) } : {}),
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      JWT_SECRET: this.secrets.jwtSecret,
      LOG_SIGNING_KEY: this.secrets.logSigningKey,
      FEEDBACK_SECRET: this.secrets.feedbackSecret,
      TEMPORAL_PAYLOAD_KEYS: this.secrets.temporalPayloadKeys,
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
    for (const name of this.shape) this.startService(name);
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
    const kind: Kind = name.startsWith('api') ? 'api' : 'worker';
    const child = spawn(process.execPath, [SCRIPTS[kind]], {
      env: this.serviceEnv(name),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.capture(name, child);
    this.services.set(name, child);
    this.supervised.add(name);
    child.once('exit', (code, signal) => {
      this.logs.write(`\n### ${name} exited (code ${code}, signal ${signal})\n`);
      if (this.services.get(name) !== child || !this.supervised.has(name)) return;
      this.restarts[name] = (this.restarts[name] ?? 0) + 1;
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

  /**
   * SIGKILL: no shutdown hook runs, no buffer is flushed. The supervisor starts it again, unless
   * `restart` is false: then it stays down until `startService`.
   */
  kill(name: Service, { restart = true } = {}): void {
    if (!restart) this.supervised.delete(name);
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

  /** Waits until every API (or the named ones) answers ready. */
  async waitReady(timeoutMs = 60_000, apis: readonly Service[] = [...this.apiPorts.keys()]): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const api of apis) {
      for (;;) {
        const ok = await fetch(`${this.urlOf(api)}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline)
          throw new Error(`${api} not ready within ${timeoutMs} ms; see the system log`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
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
