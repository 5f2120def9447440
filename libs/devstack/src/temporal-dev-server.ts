/**
 * Runs a Temporal dev server (`temporal server start-dev`) with OpenCCS's search attributes
 * registered, its state in a SQLite file when `dbFile` is given, and waits until it serves.
 */
import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '@openccs/contracts';
import { sleep } from './processes';
import type { TemporalCli } from './temporal-cli';

export interface TemporalDevServerHandle {
  readonly address: string;
  /** The server's process id, when it runs as a process of its own. */
  readonly pid: number | undefined;
  /** Rejects if the server stops before `stop()` was called. */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  cli: TemporalCli;
  port: number;
  /** 0 runs the server headless. */
  uiPort: number;
  namespace: string;
  /** SQLite file for persistent state; in memory when unset. */
  dbFile?: string;
  /** Dynamic configuration, e.g. a low history limit so tests exercise continue-as-new. */
  dynamicConfig?: Record<string, string | number | boolean>;
  timeoutMs?: number;
}

const CLI_TYPE_NAMES: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

export function searchAttributeFlags(): string[] {
  return Object.values(SEARCH_ATTRIBUTES).flatMap((key) => [
    '--search-attribute',
    `${key.name}=${CLI_TYPE_NAMES[key.type] ?? 'Keyword'}`,
  ]);
}

/**
 * What every dev server OpenCCS starts needs beyond the defaults: Temporal flags a workflow whose
 * workflow tasks failed twice in a row (the TemporalReportedProblems search attribute), which
 * readiness and the stuck list read. Temporal Cloud does this by default; a self-hosted server
 * needs this dynamic config value too (docs/operations.md).
 */
export const DEV_SERVER_DYNAMIC_CONFIG = {
  'system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute': 2,
} as const;

/**
 * The SQLite file in write-ahead-log mode: a commit is one append and one fsync instead of the
 * rollback journal's several, which took ~10 ms off a decision's latency here
 * (docs/performance.md). `synchronous=full` keeps every commit on disk before it is
 * acknowledged, as the default mode did: a power cut loses no decision the caller was told of.
 */
const SQLITE_PRAGMAS = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=full'];

function dynamicConfigArgs(extra: TemporalDevServerOptions['dynamicConfig']): string[] {
  return Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...extra }).flatMap(([k, v]) => [
    '--dynamic-config-value',
    `${k}=${JSON.stringify(v)}`,
  ]);
}

export async function startTemporalDevServer(
  options: TemporalDevServerOptions,
): Promise<TemporalDevServerHandle> {
  const address = `127.0.0.1:${options.port}`;
  if (options.cli.kind === 'sdk-download') return startThroughSdk(options, address);

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
    ...(options.uiPort === 0
      ? ['--headless']
      : ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch']),
    ...(options.dbFile ? ['--db-filename', options.dbFile, ...SQLITE_PRAGMAS] : []),
    ...dynamicConfigArgs(options.dynamicConfig),
    ...searchAttributeFlags(),
  ];
  const child = spawn(options.cli.path, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let stopping = false;
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      stopping ? resolve() : reject(new Error(`Temporal dev server exited (code ${code}, signal ${signal})`)),
    );
  });
  exited.catch(() => undefined);
  await Promise.race([waitUntilServing(address, options.namespace, options.timeoutMs ?? 60_000), exited]);
  return {
    address,
    pid: child.pid,
    exited,
    async stop() {
      stopping = true;
      if (child.exitCode !== null) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Polls until the frontend answers for `namespace` (the server creates it during start-up). */
export async function waitUntilServing(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(250);
    }
  }
  throw new Error(`Temporal at ${address} did not become ready within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Last resort: the SDK downloads the CLI and runs it inside this process. */
async function startThroughSdk(
  options: TemporalDevServerOptions,
  address: string,
): Promise<TemporalDevServerHandle> {
  if (options.cli.kind !== 'sdk-download') throw new Error('unreachable');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', downloadDir: options.cli.downloadDir },
      ip: '127.0.0.1',
      port: options.port,
      namespace: options.namespace,
      ui: options.uiPort !== 0,
      ...(options.uiPort !== 0 ? { uiPort: options.uiPort } : {}),
      ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
      extraArgs: dynamicConfigArgs(options.dynamicConfig),
    },
  });
  await waitUntilServing(address, options.namespace, options.timeoutMs ?? 60_000);
  return {
    address,
    pid: undefined,
    exited: new Promise<void>(() => undefined),
    stop: () => env.teardown(),
  };
}
