/** `npm run admin` as an operator runs it: the built command line in a child process of its own. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_CLI = join(__dirname, '../../dist/apps/admin/src/main.js');

export interface AdminRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function admin(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<AdminRun> {
  if (!existsSync(ADMIN_CLI)) throw new Error(`${ADMIN_CLI} is missing: run npm run build first`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ADMIN_CLI, ...args],
      { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
