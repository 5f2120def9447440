/**
 * The lint boundaries hold: a probe of each forbidden import is refused where it is forbidden
 * (eslint.config.mjs), so a later edit of the config cannot quietly drop one. ESLint loads its
 * config as an ES module, which jest's sandbox cannot, so the probes run in a child process.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

const REFUSED: Array<[string, string]> = [
  ['libs/domain/src/probe.ts', '@nestjs/common'],
  ['libs/domain/src/probe.ts', 'node:crypto'],
  ['libs/domain/src/probe.ts', '@openccs/persistence'],
  ['workflows/src/probe.ts', 'node:fs'],
  ['workflows/src/probe.ts', '@openccs/persistence'],
  ['workflows/src/probe.ts', '@temporalio/client'],
  ['libs/contracts/src/probe.ts', 'pg'],
  ['apps/api/src/probe.ts', '@openccs/devstack'],
  ['apps/worker/src/probe.ts', '../../../libs/devstack/src'],
  ['activities/src/probe.ts', '@openccs/devstack'],
  ['libs/persistence/src/probe.ts', '@openccs/devstack'],
];
const ALLOWED: Array<[string, string]> = [
  ['libs/domain/src/probe.ts', './report'],
  ['workflows/src/probe.ts', '@temporalio/workflow'],
  ['workflows/src/probe.ts', '@openccs/domain'],
  ['apps/launcher/src/probe.ts', '@openccs/devstack'],
  ['tests/support/probe.ts', '@openccs/devstack'],
];

/** For each probe, whether the import is refused by `no-restricted-imports`. */
function lint(probes: Array<[string, string]>): boolean[] {
  const script = `
    const { ESLint } = require('eslint');
    const eslint = new ESLint({
      cwd: process.cwd(),
      // Only the boundary rule: the probes are not part of a TypeScript project.
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: {
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/switch-exhaustiveness-check': 'off',
          '@typescript-eslint/consistent-type-imports': 'off',
          'import-x/no-cycle': 'off',
        },
      },
    });
    (async () => {
      const out = [];
      for (const [file, specifier] of JSON.parse(process.argv[1])) {
        const [result] = await eslint.lintText(
          "import * as probe from '" + specifier + "';\\nexport { probe };\\n",
          { filePath: require('node:path').join(process.cwd(), file) },
        );
        out.push(result.messages.some((m) => m.ruleId === 'no-restricted-imports'));
      }
      process.stdout.write(JSON.stringify(out));
    })();
  `;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script, JSON.stringify(probes)], { cwd: root, encoding: 'utf8' }),
  ) as boolean[];
}

describe('lint boundaries', () => {
  const refused = lint(REFUSED);
  const allowed = lint(ALLOWED);

  it.each(REFUSED.map(([file, specifier], i) => [file, specifier, i] as const))(
    'refuses in %s an import of %s',
    (_file, _specifier, i) => expect(refused[i]).toBe(true),
  );

  it.each(ALLOWED.map(([file, specifier], i) => [file, specifier, i] as const))(
    'allows in %s an import of %s',
    (_file, _specifier, i) => expect(allowed[i]).toBe(false),
  );
});
