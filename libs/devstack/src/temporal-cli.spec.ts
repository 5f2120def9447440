import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTemporalCli } from './temporal-cli';

function fakeCli(dir: string): string {
  const path = join(dir, 'temporal');
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveTemporalCli', () => {
  const log = jest.fn();

  it('prefers TEMPORAL_CLI', () => {
    const explicit = fakeCli(mkdtempSync(join(tmpdir(), 'cli-')));
    const onPath = mkdtempSync(join(tmpdir(), 'path-'));
    fakeCli(onPath);
    expect(resolveTemporalCli({ explicit, log, pathEnv: onPath })).toEqual({
      kind: 'path',
      path: explicit,
      source: 'env',
    });
  });

  it('refuses a TEMPORAL_CLI that is not executable, rather than silently using another', () => {
    expect(() => resolveTemporalCli({ explicit: '/nonexistent/temporal', log })).toThrow(/TEMPORAL_CLI/);
  });

  it('takes `temporal` from PATH next', () => {
    const onPath = mkdtempSync(join(tmpdir(), 'path-'));
    const path = fakeCli(onPath);
    expect(resolveTemporalCli({ explicit: undefined, log, pathEnv: `/nonexistent:${onPath}` })).toEqual({
      kind: 'path',
      path,
      source: 'PATH',
    });
  });
});
