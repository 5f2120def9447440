/** `npm start` as a person runs it: the built launcher in a process group of its own, over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  env.EMBEDDED_PG_PORT = String(await freePort());
  for (const name of [
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'ADMIN_PASSWORD',
    'JWT_SECRET',
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
