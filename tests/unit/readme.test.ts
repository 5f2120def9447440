/** The README's configuration table is derived from the config module's table, row for row. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VARIABLES, type VariableSpec } from '@openccs/config';

export function readmeRow(v: VariableSpec): string {
  const required = v.requiredBy ? ` (required by ${v.requiredBy.join(', ')})` : '';
  return `| \`${v.name}\` | ${v.default !== undefined ? `\`${v.default}\`` : '—'} | ${v.description}${required} |`;
}

describe('README configuration table', () => {
  // Prettier pads table cells; compare with runs of spaces collapsed.
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8').replace(/ {2,}/g, ' ');
  it.each(VARIABLES.map((v) => [v.name, v] as const))('documents %s as the config module does', (_, v) => {
    expect(readme).toContain(readmeRow(v));
  });

  it('lists no variable the config module does not know', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(VARIABLES.map((v) => v.name).sort());
  });
});
