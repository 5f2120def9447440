/**
 * Sign-in attempts per username and client. An attempt is counted *before* the password is
 * checked, in one atomic statement, so however many requests arrive at once, at most `max`
 * password checks run for a (username, client) pair before it is locked; a success clears it.
 * Keyed by client as well as by name (OWASP Authentication Cheat Sheet: lock-out must not become
 * a denial of service), so a stranger who guesses `admin` wrongly five times locks only their
 * own address out. Unknown usernames are counted alike, so a lock-out says nothing about which
 * accounts exist.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type LoginAttempt = { kind: 'allowed' } | { kind: 'locked'; retryAfterSeconds: number };

@Injectable()
export class LoginAttemptsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Takes one of the `max` attempts the pair has in its window (`lockSeconds` since its last
   * attempt); past them, locks the pair for `lockSeconds` and answers `locked` without a check.
   */
  async begin(username: string, client: string, max: number, lockSeconds: number): Promise<LoginAttempt> {
    // Attempts restart after a lock ran out, or after a quiet window.
    const fresh = `(a.locked_until <= now() OR (a.locked_until IS NULL AND a.updated_at < now() - make_interval(secs => $4)))`;
    const attempts = `CASE WHEN ${fresh} THEN 1 ELSE a.attempts + 1 END`;
    const rows: Array<{ attempts: number; locked_for: number | null }> = await this.ds.query(
      `INSERT INTO login_attempts AS a (username, client, attempts, updated_at)
       VALUES (lower($1), $2, 1, now())
       ON CONFLICT (username, client) DO UPDATE SET
         attempts = ${attempts},
         locked_until = CASE
           WHEN a.locked_until > now() THEN a.locked_until
           WHEN ${attempts} > $3 THEN now() + make_interval(secs => $4)
           ELSE NULL END,
         updated_at = now()
       RETURNING attempts, ceil(extract(epoch FROM locked_until - now()))::int AS locked_for`,
      [username, client, max, lockSeconds],
    );
    const row = rows[0];
    if (row && row.locked_for !== null && row.locked_for > 0)
      return { kind: 'locked', retryAfterSeconds: row.locked_for };
    return { kind: 'allowed' };
  }

  /** The check failed: once the pair has used its attempts, it is locked for `lockSeconds`. */
  async fail(username: string, client: string, max: number, lockSeconds: number): Promise<void> {
    await this.ds.query(
      `UPDATE login_attempts SET
         locked_until = CASE WHEN attempts >= $3 AND (locked_until IS NULL OR locked_until <= now())
                             THEN now() + make_interval(secs => $4) ELSE locked_until END,
         updated_at = now()
       WHERE username = lower($1) AND client = $2`,
      [username, client, max, lockSeconds],
    );
  }

  /** A successful sign-in clears the pair's count. */
  async succeed(username: string, client: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_attempts WHERE username = lower($1) AND client = $2`, [
      username,
      client,
    ]);
  }

  /**
   * Counts one sign-in of `client` against `perMinute` in its current one-minute window: the
   * seconds to wait when the window is used up (the attempt is then not counted), else undefined.
   * One atomic statement on a row shared by every API process, so N processes behind a proxy
   * give a client the same budget as one.
   */
  async takeForClient(client: string, perMinute: number): Promise<number | undefined> {
    // Windows long over say nothing any more; the index on window_start keeps this cheap.
    await this.ds.query(`DELETE FROM login_clients WHERE window_start < now() - interval '10 minutes'`);
    const fresh = `c.window_start <= now() - interval '1 minute'`;
    const rows: Array<{ refused: boolean; wait: number }> = await this.ds.query(
      `INSERT INTO login_clients AS c (client, window_start, attempts) VALUES ($1, now(), 1)
       ON CONFLICT (client) DO UPDATE SET
         window_start = CASE WHEN ${fresh} THEN now() ELSE c.window_start END,
         refused = NOT ${fresh} AND c.attempts >= $2,
         attempts = CASE WHEN ${fresh} THEN 1 WHEN c.attempts >= $2 THEN c.attempts ELSE c.attempts + 1 END
       RETURNING refused,
         greatest(1, ceil(extract(epoch FROM window_start + interval '1 minute' - now())))::int AS wait`,
      [client, perMinute],
    );
    const row = rows[0];
    return row?.refused ? row.wait : undefined;
  }

  /** Gives back one sign-in of the client's current window (it succeeded, so it does not count). */
  async refundClient(client: string): Promise<void> {
    await this.ds.query(
      `UPDATE login_clients SET attempts = attempts - 1
        WHERE client = $1 AND attempts > 0 AND window_start > now() - interval '1 minute'`,
      [client],
    );
  }

  /** An administrator reset the password: every lock on that name ends. */
  async clear(username: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_attempts WHERE username = lower($1)`, [username]);
  }
}
