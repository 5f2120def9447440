/**
 * Sends stored bytes as a response: the right type, a Content-Disposition that is safe whatever
 * the file is called, and headers that keep a browser from running anything in it.
 */
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { FileResponse } from './files.service';

/** Types a browser may show in place; anything else is downloaded. */
const INLINE = new Set(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266, RFC 8187): an ASCII fallback without
 * quotes, backslashes or controls, and the exact name percent-encoded.
 */
export function contentDisposition(name: string, inline: boolean): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_').slice(0, 200) || 'file';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export async function sendFile(res: Response, file: FileResponse, cacheControl: string): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('Content-Disposition', contentDisposition(file.name, INLINE.has(file.contentType)));
  res.setHeader('Cache-Control', cacheControl);
  // The bytes never change under their hash.
  res.setHeader('ETag', `"${file.sha256}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Whatever is in it, it runs nothing and loads nothing.
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  );
  try {
    await pipeline(file.stream, res);
  } catch (err) {
    // A client that goes away mid-download is no error of ours.
    if (res.destroyed || (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw err;
  }
}
