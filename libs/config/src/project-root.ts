/** Where the installed OpenCCS lives: profiles, portal assets and the workflow bundle are found from here. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The installation's root: the nearest folder above this file whose package.json is OpenCCS's. */
export function projectRoot(): string {
  if (root) return root;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'openccs') {
      return (root = dir);
    }
  }
  throw new Error(`cannot find the OpenCCS project root above ${__dirname}`);
}
