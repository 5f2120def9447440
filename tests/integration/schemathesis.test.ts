/**
 * Schemathesis (PyPI) against /api/docs-json of the real stack, authenticated as an administrator,
 * with the checks schemathesis.toml names: no 5xx, every status, content type, header and body as
 * documented, invalid input refused, undocumented methods 405, missing or bad tokens refused.
 * A disclosed report exists first, so the public record schemas are checked against real records.
 *
 * The binary: SCHEMATHESIS_CLI, else `st` on PATH, else a project-local `pip install --target
 * .tools/schemathesis` (which .ci/run makes, and this test makes when it is missing).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { asAdmin } from '../support/factories';
import { apiUrl, http } from '../support/http';
import { castProject } from '../support/scenario';

const ROOT = join(__dirname, '../..');
const LOCAL = join(ROOT, '.tools/schemathesis');
const ARTIFACTS = join(ROOT, 'tests/artifacts');

function schemathesis(): { command: string; env: NodeJS.ProcessEnv } {
  if (process.env.SCHEMATHESIS_CLI) return { command: process.env.SCHEMATHESIS_CLI, env: process.env };
  try {
    execFileSync('st', ['--version'], { stdio: 'ignore' });
    return { command: 'st', env: process.env };
  } catch {
    // not on PATH
  }
  if (!existsSync(join(LOCAL, 'bin/st')))
    execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--target', LOCAL, 'schemathesis'], {
      stdio: 'inherit',
    });
  return {
    command: join(LOCAL, 'bin/st'),
    env: { ...process.env, PYTHONPATH: [LOCAL, process.env.PYTHONPATH].filter(Boolean).join(':') },
  };
}

let projectCode: string;

beforeAll(async () => {
  const cast = await castProject();
  projectCode = cast.project.code;
  const submitted = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: {
      kind: 'design_change',
      title: 'Abutment drainage redesigned',
      body: { changeType: 'drainage' },
      amount: { value: 48_000_000, currency: 'KRW' },
    },
  });
  for (const who of [cast.supervisor, cast.officer, cast.head]) {
    const decided = await http<{ status: string }>('POST', `/api/v1/reports/${submitted.body.id}/decisions`, {
      token: who.token,
      body: { action: 'approve' },
    });
    expect(decided.status).toBe(200);
  }
});

it('finds no server error and no response that differs from the OpenAPI document', async () => {
  const { command, env } = schemathesis();
  const token = await asAdmin();
  mkdirSync(ARTIFACTS, { recursive: true });
  const argv = [
    // A global option: before the subcommand.
    '--config-file',
    join(ROOT, 'schemathesis.toml'),
    'run',
    `${apiUrl()}/api/docs-json`,
    '--header',
    `Authorization: Bearer ${token}`,
    '--seed',
    process.env.SCHEMATHESIS_SEED ?? '20261125',
    '--report',
    'junit',
    '--report-junit-path',
    join(ARTIFACTS, 'schemathesis-junit.xml'),
  ];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: { ...env, OPENCCS_SAMPLE_PROJECT: projectCode, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (exit) => resolve({ code: exit, output: out }));
  });
  if (code !== 0) console.error(output);
  expect(output).toMatch(/Stateful/);
  expect(code).toBe(0);
}, 300_000);
