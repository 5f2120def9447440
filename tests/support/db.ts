/** Direct reads of the test database, for assertions the API does not expose (audit log, counts). */
import { Pool } from 'pg';

let pool: Pool | undefined;

export function db(): Pool {
  pool ??= new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  return pool;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db().query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) q`, params);
  return Number(rows[0]?.n ?? 0);
}
