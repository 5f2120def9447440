/**
 * What a command of `npm run admin` works against: the configured database (DATABASE_URL, else
 * the embedded PostgreSQL of `npm start`, started for the command's duration when it is not
 * running), the API's own services in a Nest application context, and the operator the audit
 * log names. Everything started here is stopped by `close()`.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@openccs/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle, type LocalSecrets } from '@openccs/devstack';
import { asOperator, createDataSource } from '@openccs/persistence';
import { loadProfile, type Profile } from '@openccs/profile';
import { AppModule } from '../../api/src/app.module';
import type { RequestContext } from '../../api/src/common/request-context';

/** A wrong invocation: exit code 2, like commander's own usage errors. */
export class UsageError extends Error {}

/** A refusal the operator can act on: exit code 1, the message without a stack trace. */
export class CommandFailure extends Error {}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** `cli:<os user>@<host>`: who ran the command, as the audit log records it. */
export function operatorName(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container's random uid): keep $USER
  }
  return `cli:${user}@${hostname()}`;
}

export class AdminContext {
  readonly operator = operatorName();
  readonly launcher: AppConfig;
  private embedded: EmbeddedPostgresHandle | undefined;
  private databaseUrlKnown: string | undefined;
  private nest: INestApplicationContext | undefined;
  private plain: DataSource | undefined;
  private loadedProfile: Profile | undefined;

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly output: Output,
  ) {
    this.launcher = loadConfig('launcher', env);
  }

  /** The deployment profile, whose rules the API's validation applies too. */
  profile(): Profile {
    this.loadedProfile ??= loadProfile(this.launcher.profile);
    return this.loadedProfile;
  }

  get dataDir(): string {
    return resolve(this.launcher.dataDir);
  }

  /** The data dir's secrets.json, when `npm start` made one. */
  localSecrets(): LocalSecrets | undefined {
    const path = join(this.dataDir, 'secrets.json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as LocalSecrets) : undefined;
  }

  /** The request context the API's services audit by: the operator, with no account of its own. */
  requestContext(): RequestContext {
    return {
      // Never written: the audit repository records an operator's changes with no actor user.
      actor: {
        id: '00000000-0000-0000-0000-000000000000',
        username: this.operator,
        systemRole: 'admin',
        organizationId: '00000000-0000-0000-0000-000000000000',
      },
      requestId: null,
      requestKey: `cli:${Date.now()}:${Math.random().toString(36).slice(2)}`,
      idempotent: false,
    };
  }

  /** Runs `work` with its audit records naming this operator. */
  audited<T>(work: () => Promise<T>): Promise<T> {
    return asOperator(this.operator, work);
  }

  /** DATABASE_URL, or the embedded server of `npm start` (started now when it is not running). */
  async databaseUrl(): Promise<string> {
    if (this.databaseUrlKnown) return this.databaseUrlKnown;
    if (this.launcher.databaseUrl) return (this.databaseUrlKnown = this.launcher.databaseUrl);
    const secrets = this.localSecrets();
    if (!secrets)
      throw new CommandFailure(
        `No DATABASE_URL and no ${join(this.dataDir, 'secrets.json')}: run npm start once, or set DATABASE_URL.`,
      );
    // A server npm start runs on this data dir is used where it listens (its lock file says),
    // whatever EMBEDDED_PG_PORT this command was given: never started a second time, never stopped.
    const port = runningPort(join(this.dataDir, 'postgres')) ?? this.launcher.embeddedPgPort;
    const url = `postgres://openccs:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${port}/openccs`;
    if (!(await listening(port))) {
      // Not running: start it on its data dir for this command only. startEmbeddedPostgres honours
      // the server's own lock (postmaster.pid) and stops a stale server a crash left behind.
      this.output.err(`Starting the embedded PostgreSQL of ${this.dataDir} for this command…\n`);
      this.embedded = await startEmbeddedPostgres({
        dir: join(this.dataDir, 'postgres'),
        port,
        password: secrets.postgresPassword,
      });
    }
    return (this.databaseUrlKnown = url);
  }

  /** A plain connection, for commands that only read. */
  async dataSource(): Promise<DataSource> {
    if (this.nest) return this.nest.get(DataSource);
    this.plain ??= await createDataSource(await this.databaseUrl(), 'openccs-admin').initialize();
    return this.plain;
  }

  /** The API's configuration, completed with what `npm start` would give the API. */
  async apiConfig(): Promise<AppConfig> {
    const secrets = this.localSecrets();
    const env: NodeJS.ProcessEnv = {
      ...this.env,
      DATABASE_URL: await this.databaseUrl(),
      TEMPORAL_ADDRESS: this.env.TEMPORAL_ADDRESS ?? `127.0.0.1:${this.launcher.temporal.devPort}`,
      JWT_SECRET: this.env.JWT_SECRET ?? secrets?.jwtSecret,
      LOG_SIGNING_KEY: this.env.LOG_SIGNING_KEY ?? secrets?.logSigningKey,
      FEEDBACK_SECRET: this.env.FEEDBACK_SECRET ?? secrets?.feedbackSecret,
      TEMPORAL_PAYLOAD_KEYS: this.env.TEMPORAL_PAYLOAD_KEYS ?? secrets?.temporalPayloadKeys,
    };
    // Standard output is the command's: the services log nothing there.
    return { ...loadConfig('api', env), logLevel: 'fatal' };
  }

  /** The API's services (users, organizations, projects, workflow health), as the API runs them. */
  async services(): Promise<INestApplicationContext> {
    if (this.nest) return this.nest;
    const config = await this.apiConfig();
    this.nest = await NestFactory.createApplicationContext(AppModule.forRoot(config, this.profile()), {
      logger: false,
      abortOnError: false,
    });
    return this.nest;
  }

  async close(): Promise<void> {
    await this.nest?.close();
    await this.plain?.destroy();
    if (this.embedded) await this.embedded.stop();
  }
}

/** The port of the PostgreSQL server running on `dir`, from its lock file (postmaster.pid). */
function runningPort(dir: string): number | undefined {
  const lock = join(dir, 'postmaster.pid');
  if (!existsSync(lock)) return undefined;
  const [pid, , , port] = readFileSync(lock, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch (err) {
    // EPERM: it runs, as another user (postgres, under root's npm start). Else a crash's leftover.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  const parsed = Number(port);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, '127.0.0.1', () => finish(true));
  });
}
