/**
 * CORS of the codec endpoint: the Temporal UI (TEMPORAL_CODEC_CORS_ORIGIN) calls it from its own
 * origin with credentials, so its preflight is answered for that origin only, and every answer,
 * refusals included, tells that browser it may read it. Any other origin gets no CORS headers,
 * so its browser refuses to send the JSON request at all.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '@openccs/config';

/** Where the codec is served: POST {CODEC_PATH}/decode and /encode (TEMPORAL_CODEC_ENDPOINT). */
export const CODEC_PATH = '/api/v1/temporal/codec';

/** Whether a request's `Origin` (when a browser sent one) is the Temporal UI's or this site's. */
export function codecOriginAllowed(req: Request, config: AppConfig): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === config.temporal.codecCorsOrigin || origin === new URL(config.publicApi.publicUrl).origin;
}

export function codecCors(config: AppConfig) {
  const ui = config.temporal.codecCorsOrigin;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (ui === undefined || req.headers.origin !== ui) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', ui);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.append('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
