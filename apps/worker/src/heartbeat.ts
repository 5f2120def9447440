/**
 * The worker has no HTTP port; its health is a file it touches while it is running, which a
 * container health check reads (`node dist/apps/worker/src/healthcheck.js`).
 */
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HEARTBEAT_FILE = join(tmpdir(), 'openccs-worker.alive');
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** Three missed beats mean the worker is not running. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;

export function startHeartbeat(isRunning: () => boolean): () => void {
  const beat = () => {
    if (isRunning()) writeFileSync(HEARTBEAT_FILE, new Date().toISOString());
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export function heartbeatIsFresh(now = Date.now()): boolean {
  try {
    return now - statSync(HEARTBEAT_FILE).mtimeMs < HEARTBEAT_STALE_MS;
  } catch {
    return false;
  }
}
