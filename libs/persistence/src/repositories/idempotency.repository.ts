/**
 * The Idempotency-Key store: a key is claimed by the first request, completed with its
 * response, and replayed for retries. A claim left behind by a crashed process expires, so a
 * retry can take it over (the operation itself is idempotent below this layer).
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * How long an unfinished claim blocks a retry before it counts as abandoned. A live request
 * gives up on the workflow engine after 15 s (503, claim released), so an older claim belongs to
 * a process that died; the fault suite measures the wait (tests/chaos).
 */
export const IDEMPOTENCY_CLAIM_LEASE_SECONDS = 20;

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly ds: DataSource) {}

  async claim(userId: string, key: string, method: string, path: string, hash: string): Promise<Claim> {
    const inserted: unknown[] = await this.ds.query(
      `INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, status)
       VALUES ($1, $2, $3, $4, $5, 'in_progress')
       ON CONFLICT (user_id, key) DO UPDATE SET updated_at = now()
         WHERE idempotency_keys.status = 'in_progress'
           AND idempotency_keys.request_hash = EXCLUDED.request_hash
           AND idempotency_keys.updated_at < now() - make_interval(secs => $6)
       RETURNING key`,
      [userId, key, method, path, hash, IDEMPOTENCY_CLAIM_LEASE_SECONDS],
    );
    if (inserted.length > 0) return { kind: 'claimed' };
    const rows: Array<{
      request_hash: string;
      method: string;
      path: string;
      status: string;
      response_status: number;
      response_body: unknown;
    }> = await this.ds.query(
      `SELECT request_hash, method, path, status, response_status, response_body
           FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    const row = rows[0];
    if (!row) return this.claim(userId, key, method, path, hash); // released meanwhile: try again
    if (row.request_hash !== hash || row.method !== method || row.path !== path) return { kind: 'mismatch' };
    if (row.status === 'in_progress') return { kind: 'in_progress' };
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.ds.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4, updated_at = now()
        WHERE user_id = $1 AND key = $2`,
      [userId, key, status, JSON.stringify(body ?? null)],
    );
  }

  /** The request failed and changed nothing: forget the key so a retry runs again. */
  async release(userId: string, key: string): Promise<void> {
    await this.ds.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status = 'in_progress'`,
      [userId, key],
    );
  }
}
