import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { publishedCopy, thumbnail } from './derive';
import { hashFile } from './hash';
import { LocalFileStore } from './store';
import { sniff } from './sniff';
import { classify, fileTypeNamed, FILE_TYPES } from './types';

const ALL = FILE_TYPES.map((t) => t.name);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openccs-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A JPEG with a GPS position and a camera in its EXIF, as a phone writes it. */
async function phonePhoto(path: string): Promise<void> {
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#7a7' } })
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 15' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '37/1 33/1 59/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '126/1 58/1 40/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toFile(path);
}

describe('sniff and classify', () => {
  it('knows a PDF by its bytes, and refuses an .exe named .pdf', async () => {
    writeFileSync(join(dir, 'real.pdf'), '%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    expect(classify(ALL, await sniff(join(dir, 'real.pdf')), 'report.pdf', 'application/pdf')).toEqual({
      ok: true,
      type: fileTypeNamed('pdf'),
    });
    // An MZ header with a PE signature is what Windows executables start with.
    const exe = Buffer.alloc(512);
    exe.write('MZ', 0, 'latin1');
    exe.writeUInt32LE(0x80, 0x3c);
    exe.write('PE\u0000\u0000', 0x80, 'latin1');
    writeFileSync(join(dir, 'evil.pdf'), exe);
    const evil = classify(ALL, await sniff(join(dir, 'evil.pdf')), 'invoice.pdf', 'application/pdf');
    expect(evil).toEqual({ ok: false, reason: expect.stringContaining('not an allowed type') });
  });

  it('refuses a file whose name or declared type contradicts its bytes', async () => {
    const pdf = await sniff(join(dir, 'real.pdf'));
    expect(classify(ALL, pdf, 'photo.jpg', undefined)).toEqual({
      ok: false,
      reason: expect.stringContaining('.jpg'),
    });
    expect(classify(ALL, pdf, 'report.pdf', 'image/png')).toEqual({
      ok: false,
      reason: expect.stringContaining('image/png'),
    });
    // A type a browser made up says nothing; octet-stream neither.
    expect(classify(ALL, pdf, 'report.pdf', 'application/octet-stream').ok).toBe(true);
    expect(classify(ALL, pdf, 'report', undefined).ok).toBe(true);
  });

  it('refuses a type the deployment does not allow', async () => {
    expect(classify(['jpeg'], await sniff(join(dir, 'real.pdf')), 'report.pdf', undefined).ok).toBe(false);
  });

  it('knows an ASCII DXF drawing, which file-type does not', async () => {
    writeFileSync(join(dir, 'site.dxf'), '999\nexported\n  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n  0\nEOF\n');
    expect(await sniff(join(dir, 'site.dxf'))).toBe('image/vnd.dxf');
    expect(classify(ALL, 'image/vnd.dxf', 'site.dxf', 'application/dxf').ok).toBe(true);
    writeFileSync(join(dir, 'notes.dxf'), 'just text\n');
    expect(await sniff(join(dir, 'notes.dxf'))).toBeUndefined();
  });
});

describe('a published photo', () => {
  it('keeps no EXIF (no location, no camera), is upright, and has a thumbnail', async () => {
    const original = join(dir, 'phone.jpg');
    await phonePhoto(original);
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('PhoneMaker');
    expect(before.orientation).toBe(6);
    const copy = await publishedCopy(original, fileTypeNamed('jpeg')!, join(dir, 'copy.jpg'));
    const meta = await sharp(copy.path).metadata();
    expect([meta.exif, meta.xmp, meta.iptc]).toEqual([undefined, undefined, undefined]);
    // Orientation 6 (rotated 90°) applied to the pixels: 64 × 48 becomes 48 × 64.
    expect([meta.width, meta.height]).toEqual([48, 64]);
    const thumb = await thumbnail(original, join(dir, 'thumb.webp'));
    expect((await sharp(thumb.path).metadata()).format).toBe('webp');
  });

  it('refuses to decode an image of more pixels than a photo has', async () => {
    const huge = join(dir, 'huge.png');
    await sharp({ create: { width: 10_000, height: 6_000, channels: 3, background: '#000' } })
      .png()
      .toFile(huge);
    await expect(publishedCopy(huge, fileTypeNamed('png')!, join(dir, 'huge-copy.png'))).rejects.toThrow(
      /pixel/i,
    );
  });
});

describe('the local store', () => {
  it('stores bytes under their hash, once, and removes them on withdrawal', async () => {
    const store = new LocalFileStore(join(dir, 'store'));
    writeFileSync(join(dir, 'a.bin'), 'evidence');
    const { sha256, size } = await hashFile(join(dir, 'a.bin'));
    await store.put(sha256, join(dir, 'a.bin'));
    expect(size).toBe(8);
    expect(await store.has(sha256)).toBe(true);
    const got = await store.get(sha256);
    const chunks: Buffer[] = [];
    for await (const c of got!.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('evidence');
    await store.delete(sha256);
    expect(await store.has(sha256)).toBe(false);
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
  });
});
