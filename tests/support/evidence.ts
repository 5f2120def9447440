/** Files as evidence tests need them: a phone's photo, a PDF, an executable in disguise, an upload. */
import { createHash } from 'node:crypto';
import sharp from 'sharp';

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A JPEG as a phone writes it: a GPS position and a camera in its EXIF. */
export function phonePhoto(
  shade: string,
  size: { width: number; height: number } = { width: 96, height: 64 },
) {
  return sharp({ create: { ...size, channels: 3, background: shade } })
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 15' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '37/1 33/1 59/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '126/1 58/1 40/1',
      },
    })
    .jpeg()
    .toBuffer();
}

/** A small, valid-enough PDF whose bytes depend on `text`. */
export const pdf = (text: string): Buffer =>
  Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);

/** A Windows executable: MZ, and the PE signature where the header says. */
export function windowsExecutable(): Buffer {
  const exe = Buffer.alloc(1024);
  exe.write('MZ', 0, 'latin1');
  exe.writeUInt32LE(0x80, 0x3c);
  exe.write('PE\u0000\u0000', 0x80, 'latin1');
  return exe;
}

/** POST /api/v1/files with `bytes` as the part `file`. */
export async function upload<T = { id: string; code?: string }>(
  base: string,
  token: string,
  bytes: Buffer,
  name: string,
  type = 'application/octet-stream',
): Promise<{ status: number; body: T }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${base}/api/v1/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as T };
}
