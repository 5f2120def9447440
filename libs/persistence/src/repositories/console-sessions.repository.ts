/**
 * Console sessions (migration 1765300000000). A session is found by the SHA-256 of its cookie's
 * token, and only while it is neither idle nor past its absolute end, and its user is active with
 * the token version it started with: deactivation or a password change ends it on the next request.
 */
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface ConsoleSession {
  readonly userId: string;
  readonly csrfToken: string;
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

@Injectable()
export class ConsoleSessionsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Starts a session for `userId`; returns the cookie's token (never stored as such). */
  async start(userId: string, tokenVersion: number, absoluteSeconds: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.ds.query(
      `INSERT INTO console_sessions (token_hash, user_id, token_version, csrf_token, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [hashOf(token), userId, tokenVersion, randomBytes(32).toString('base64url'), absoluteSeconds],
    );
    // Ended sessions are removed as new ones start: the table holds live sessions only.
    await this.ds.query(`DELETE FROM console_sessions WHERE expires_at < now() - interval '1 day'`);
    return token;
  }

  /**
   * The live session of `token`, marked as seen now; null when there is none, it was idle for
   * longer than `idleSeconds`, it passed its end, or its user was deactivated or changed password.
   */
  async resume(token: string, idleSeconds: number): Promise<ConsoleSession | null> {
    // An UPDATE … RETURNING answers [rows, count] through the pg driver.
    const [rows]: [Array<{ userId: string; csrfToken: string }>, number] = await this.ds.query(
      `UPDATE console_sessions s SET last_seen_at = now()
         FROM users u
        WHERE s.token_hash = $1 AND u.id = s.user_id
          AND u.active AND u.token_version = s.token_version
          AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(secs => $2)
        RETURNING s.user_id AS "userId", s.csrf_token AS "csrfToken"`,
      [hashOf(token), idleSeconds],
    );
    return rows[0] ?? null;
  }

  /** Signs the session of `token` out. */
  async end(token: string): Promise<void> {
    await this.ds.query(`DELETE FROM console_sessions WHERE token_hash = $1`, [hashOf(token)]);
  }
}
