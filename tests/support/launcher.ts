/** `npm start` as a person runs it: the built launcher in a process group of its own, over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../setup/test-stack';
import { http } from './http';

export const LAUNCHER = join(__dirname, '../../dist/apps/launcher/src/main.js');

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The environment of a fresh `npm start` in `dataDir`, on free ports, with nothing given from outside. */
export async function launcherEnv(dataDir: string): Promise<{ env: NodeJS.ProcessEnv; base: string }> {
  if (!existsSync(LAUNCHER))
    throw new Error(`${LAUNCHER} is missing: run npm run build (npm test does it first)`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENCCS_DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  env.TEMPORAL_DEV_PORT = String(await freePort());
  env.TEMPORAL_UI_PORT = '0';
  // Several stacks run at once here: none takes the worker metrics' fixed default port.
  env.WORKER_METRICS_PORT = '0';
  env.EMBEDDED_PG_PORT = String(await freePort());
  for (const name of [
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'ADMIN_PASSWORD',
    'JWT_SECRET',
    'FEEDBACK_SECRET',
    'LOG_SIGNING_KEY',
    'LOG_SIGNING_KEY_NEXT',
    'TEMPORAL_PAYLOAD_KEYS',
    'OPENCCS_DEMO_DATA',
    'OPENCCS_PROFILE',
  ])
    delete env[name];
  return { env, base: `http://127.0.0.1:${port}` };
}

/** Spawns the launcher; with `ready`, resolves once /health/ready answers 200. */
export async function launch(env: NodeJS.ProcessEnv, base: string, ready = true): Promise<Running> {
  // Its own process group, like a terminal's foreground job, so Ctrl-C and "kill everything" can be sent to all.
  const child = spawn(process.execPath, [LAUNCHER], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (ready) {
    await waitFor(
      `${base}/health/ready (output so far:\n${out})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`launcher exited with ${child.exitCode}:\n${out}`);
        return (await http('GET', '/health/ready', { base }).catch(() => ({ status: 0 }))).status === 200;
      },
      60_000,
    );
  }
  return { child, output: () => out, exited };
}

/** A demo system started for a test file: fresh data dir, demo data, stopped with Ctrl-C after. */
export interface DemoStack {
  readonly base: string;
  readonly dataDir: string;
  /** A demo user's token (the demo users share the password printed at start-up). */
  login(username: string): Promise<string>;
}

/**
 * Registers `beforeAll`/`afterAll` that run `npm start` on a fresh data dir (with `extraEnv`) and
 * stop it as a person would: Ctrl-C to the process group, a kill if it lingers.
 */
export function demoStack(prefix: string, extraEnv: NodeJS.ProcessEnv = {}): DemoStack {
  let running: Running | undefined;
  const stack = { base: '', dataDir: '' };
  beforeAll(async () => {
    stack.dataDir = mkdtempSync(join(tmpdir(), prefix));
    const prepared = await launcherEnv(stack.dataDir);
    stack.base = prepared.base;
    running = await launch({ ...prepared.env, ...extraEnv }, stack.base);
  }, 120_000);
  afterAll(async () => {
    const pid = running?.child.pid;
    if (pid && groupAlive(pid)) {
      process.kill(-pid, 'SIGINT');
      await waitFor('OpenCCS to stop', () => !groupAlive(pid), 30_000).catch(() =>
        process.kill(-pid, 'SIGKILL'),
      );
    }
    rmSync(stack.dataDir, { recursive: true, force: true });
  }, 60_000);
  const password = () => /Demo users .*Password: (\S+)/.exec(running?.output() ?? '')?.[1] ?? '';
  return {
    get base() {
      return stack.base;
    },
    get dataDir() {
      return stack.dataDir;
    },
    login: async (username) =>
      (
        await http<{ accessToken: string }>('POST', '/api/v1/auth/token', {
          base: stack.base,
          body: { username, password: password() },
        })
      ).body.accessToken,
  };
}
