import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './processes';

/**
 * After a crash that spared the PostgreSQL server (its host process was killed, the server was
 * not), the old server still holds the port and the data directory. Stop it the way PostgreSQL
 * recommends (SIGINT: fast shutdown, consistent on disk) before starting a new one.
 */
export async function stopStalePostmaster(dataDir: string): Promise<number | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isPostgresServing(pid, dataDir)) {
    // A server killed a moment ago lingers until it is reaped; PostgreSQL refuses to start while
    // the process in its lock file exists at all, so give it the time to go.
    for (let waited = 0; waited < 10_000 && exists(pid); waited += 100) await sleep(100);
    return undefined;
  }
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (!isPostgresServing(pid, dataDir)) return pid;
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
  return pid;
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgresServing(pid: number, dataDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.includes('postgres') && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}
