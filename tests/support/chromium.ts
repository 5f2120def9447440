/**
 * The browser the browser tests drive, resolved the way the Temporal CLI is
 * (libs/devstack/src/temporal-cli.ts), so `npm ci && npm test` needs nothing installed by hand:
 *
 * 1. `CHROMIUM_PATH`, when set (it must exist);
 * 2. a system Chromium or Chrome on the PATH (`chromium`, `chromium-browser`, `google-chrome`…);
 * 3. the Chromium that arrives with `npm ci`: `@sparticuz/chromium` (a devDependency, Linux x64),
 *    unpacked once into `.tools/chromium-<version>`;
 * 4. Playwright's managed download (`playwright-core install chromium`), for other platforms.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

export interface ResolvedChromium {
  readonly executablePath: string;
  /** Which of the four it was, for the test log. */
  readonly source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium' | 'playwright';
  readonly args: readonly string[];
}

const root = join(__dirname, '../..');
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
/** Headless in a container: no sandbox (often run as root), no /dev/shm of its size. */
const ARGS = ['--headless', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];

let resolved: ResolvedChromium | undefined;

export function resolveChromium(): ResolvedChromium {
  resolved ??= resolve();
  return resolved;
}

function resolve(): ResolvedChromium {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist`);
    return { executablePath: explicit, source: 'CHROMIUM_PATH', args: ARGS };
  }
  const system = onPath(SYSTEM_NAMES);
  if (system) return { executablePath: system, source: 'system', args: ARGS };
  const bundled = unpackSparticuz();
  if (bundled)
    return { executablePath: bundled, source: '@sparticuz/chromium', args: [...ARGS, '--no-zygote'] };
  return { executablePath: playwrightChromium(), source: 'playwright', args: ARGS };
}

function onPath(names: readonly string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  return undefined;
}

/**
 * Unpacks the Chromium of `@sparticuz/chromium` (brotli files in the package) into
 * `.tools/chromium-<version>` once. It unpacks into the directory `os.tmpdir()` names, so a child
 * process does it with TMPDIR pointing at a fresh directory, which is then renamed into place:
 * two test runs at once never see half a binary.
 */
function unpackSparticuz(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let version: string;
  try {
    // Its `exports` hide package.json; the entry point is build/cjs/index.cjs.
    const entry = require.resolve('@sparticuz/chromium');
    version = (JSON.parse(readFileSync(join(entry, '../../../package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return undefined; // not installed (npm ci --omit=dev)
  }
  const target = join(root, '.tools', `chromium-${version}`);
  const binary = join(target, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(join(root, '.tools'), { recursive: true });
  const staging = mkdtempSync(join(root, '.tools', `chromium-${version}.unpacking-`));
  try {
    execFileSync(
      process.execPath,
      ['-e', "const c = require('@sparticuz/chromium'); (c.default ?? c).executablePath().then(() => {})"],
      { cwd: root, env: { ...process.env, TMPDIR: staging }, stdio: 'inherit' },
    );
    try {
      renameSync(staging, target);
    } catch (err) {
      if (!existsSync(binary)) throw err; // another run put it in place first
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** Playwright's own build: downloaded on first use (needs access to Playwright's CDN). */
function playwrightChromium(): string {
  const path = chromium.executablePath();
  if (existsSync(path)) return path;
  try {
    const cli = join(require.resolve('playwright-core/package.json'), '..', 'cli.js');
    execFileSync(process.execPath, [cli, 'install', 'chromium'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    throw new Error(
      'No Chromium: set CHROMIUM_PATH, install chromium, or run npm ci on Linux x64 (it brings @sparticuz/chromium); Playwright could not download one either.',
    );
  }
  return path;
}
