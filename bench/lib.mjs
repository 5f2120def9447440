// What every benchmark shares: the built system (`npm start`'s launcher) on free ports with a
// data folder of its own, an HTTP client, a project with its people, percentiles, the machine
// description, and results written to bench/results/<name>.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
export const PASSWORD = 'bench-admin-password-1';

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The p-th percentile (nearest rank) of a list of numbers. */
export function pct(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const machine = () => ({
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
});

export function writeResult(name, result) {
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const full = { benchmark: name, at: new Date().toISOString(), machine: machine(), ...result };
  writeFileSync(join(ROOT, 'bench/results', `${name}.json`), JSON.stringify(full, null, 2) + '\n');
  return full;
}

export const fmt = (n, digits = 1) => n.toFixed(digits).padStart(9);
export const verdict = (met) => (met ? 'met' : 'MISSED');

/** Starts the launcher and resolves once it is ready. `extraEnv` adds settings (e.g. DATABASE_URL). */
export async function startSystem(extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'openccs-bench-'));
  const port = await freePort();
  const temporalPort = await freePort();
  const postgresPort = await freePort();
  const env = {
    ...process.env,
    OPENCCS_DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: '0',
    WORKER_METRICS_PORT: '0',
    EMBEDDED_PG_PORT: String(postgresPort),
    ADMIN_PASSWORD: PASSWORD,
    OPENCCS_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    // A benchmark is one heavy client; the per-client public limit would measure the limiter.
    PUBLIC_RATE_LIMIT: '1000000',
  };
  for (const k of [
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'JWT_SECRET',
    'LOG_SIGNING_KEY',
    'FEEDBACK_SECRET',
    'TEMPORAL_PAYLOAD_KEYS',
  ])
    delete env[k];
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/launcher/src/main.js')], {
    env,
    stdio: ['ignore', 'ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore'],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (i > 480) throw new Error('the system did not become ready');
    if (
      await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(250);
  }
  const call = async (method, path, token, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = await res.json().catch(() => undefined);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async (username, password = PASSWORD) =>
    (await call('POST', '/api/v1/auth/token', null, { username, password })).accessToken;
  return {
    base,
    dataDir,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    /** The embedded PostgreSQL, given the password the launcher keeps in the data folder. */
    databaseUrl: (password) =>
      `postgres://openccs:${encodeURIComponent(password)}@127.0.0.1:${postgresPort}/openccs`,
    call,
    login,
    /** What a benchmark's own Temporal client needs to read what the system wrote: its payload keys. */
    dataConverter() {
      const { temporalPayloadKeys } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'));
      const { parsePayloadKeys } = require(`${ROOT}dist/libs/config/src/index.js`);
      const { temporalDataConverter } = require(`${ROOT}dist/libs/temporal-codec/src/index.js`);
      return temporalDataConverter(parsePayloadKeys(temporalPayloadKeys));
    },
    /** The launcher's own process (the API and the worker are its children). */
    pid: child.pid,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A project with a contractor, a supervisor, an officer and a head, as the admin sets it up. */
export async function castProject(system, code = 'BENCH-1') {
  const { call, login } = system;
  const admin = await login('admin');
  const org = (name, kind) => call('POST', '/api/v1/organizations', admin, { name, kind });
  const agency = await org(`Agency ${code}`, 'agency');
  const builder = await org(`Builder ${code}`, 'contractor');
  const supervision = await org(`Supervision ${code}`, 'supervisor');
  const project = await call('POST', '/api/v1/projects', admin, {
    code,
    title: `Benchmark project ${code}`,
    agencyOrganizationId: agency.id,
  });
  const person = async (role, organizationId) => {
    const username = `${code.toLowerCase()}.${role}`;
    const user = await call('POST', '/api/v1/users', admin, {
      username,
      password: PASSWORD,
      displayName: username,
      organizationId,
    });
    await call('PUT', `/api/v1/projects/${project.id}/members/${user.id}`, admin, { role });
    return { id: user.id, token: await login(username) };
  };
  return {
    admin,
    project,
    contractor: await person('contractor', builder.id),
    supervisor: await person('supervisor', supervision.id),
    officer: await person('agency_officer', agency.id),
    head: await person('agency_head', agency.id),
  };
}
