/** Counts failed sign-ins per username and locks a username out after too many in a row. */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class LoginFailuresRepository {
  constructor(private readonly ds: DataSource) {}

  /** Seconds until `username` may try again, or 0 when it is not locked out. */
  async lockedFor(username: string): Promise<number> {
    const rows: Array<{ seconds: number }> = await this.ds.query(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds
         FROM login_failures WHERE username = lower($1) AND locked_until > now()`,
      [username],
    );
    return rows[0]?.seconds ?? 0;
  }

  /** Records a failure; locks the username for `lockSeconds` once `maxFailures` failures in a row are reached. */
  async fail(username: string, maxFailures: number, lockSeconds: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO login_failures (username, failures, locked_until, updated_at)
       VALUES (lower($1), 1, CASE WHEN $2 <= 1 THEN now() + make_interval(secs => $3) END, now())
       ON CONFLICT (username) DO UPDATE SET
         failures = CASE WHEN login_failures.locked_until <= now() THEN 1 ELSE login_failures.failures + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN login_failures.locked_until <= now() THEN 1 ELSE login_failures.failures + 1 END) >= $2
           THEN now() + make_interval(secs => $3) ELSE NULL END,
         updated_at = now()`,
      [username, maxFailures, lockSeconds],
    );
  }

  async succeed(username: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_failures WHERE username = lower($1)`, [username]);
  }
}
