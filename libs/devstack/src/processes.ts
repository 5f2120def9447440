/** Child-process plumbing shared by the launcher and the test setup. */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited, with `true` when it
 * had to be killed (a process that does not stop by itself is a bug worth reporting).
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let killed = false;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  return killed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Pid files for the long-lived servers a launcher starts. After a crash of the launcher itself,
 * a server it started may still hold its port and files; the next start ends it first. A pid is
 * only killed if its command line still contains `marker`, so a recycled pid is left alone.
 */
export class PidFile {
  constructor(
    private readonly path: string,
    private readonly marker: string,
  ) {}

  write(pid: number): void {
    writeFileSync(this.path, JSON.stringify({ pid, marker: this.marker }));
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }

  /** Ends a leftover process from an earlier run; returns its pid when there was one. */
  async reapStale(): Promise<number | undefined> {
    if (!existsSync(this.path)) return undefined;
    const { pid } = JSON.parse(readFileSync(this.path, 'utf8')) as { pid: number };
    this.remove();
    if (!isAlive(pid) || !this.commandLineOf(pid).includes(this.marker)) return undefined;
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    return pid;
  }

  private commandLineOf(pid: number): string {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      return '';
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
