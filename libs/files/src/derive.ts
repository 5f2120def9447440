/**
 * What a photo becomes when it is published: a copy without its metadata (EXIF location, camera,
 * dates, XMP, IPTC: sharp writes none unless asked), turned upright first since the orientation
 * tag goes with the rest; and a thumbnail. Decoding is bounded in pixels, so a small file that
 * claims a huge image (a pixel bomb) is refused instead of filling memory.
 */
import sharp from 'sharp';
import type { FileTypeSpec } from './types';

// One image at a time, no cache: an API process serves uploads, not an image pipeline.
sharp.cache(false);
sharp.concurrency(1);

/** A 50-megapixel photo decodes; more is not a site photo. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** The longest side of a thumbnail. */
export const THUMBNAIL_SIZE = 480;

export interface Derived {
  readonly path: string;
  readonly contentType: string;
}

/** Writes the published copy of the image at `path` to `out`. */
export async function publishedCopy(path: string, type: FileTypeSpec, out: string): Promise<Derived> {
  const image = sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
  const encoded =
    type.name === 'png'
      ? image.png({ compressionLevel: 9 })
      : type.name === 'webp'
        ? image.webp({ quality: 90 })
        : image.jpeg({ quality: 90, mozjpeg: true });
  await encoded.toFile(out);
  return { path: out, contentType: type.contentType };
}

/** Writes a WebP thumbnail of the image at `path` to `out`. */
export async function thumbnail(path: string, out: string): Promise<Derived> {
  await sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .rotate()
    .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toFile(out);
  return { path: out, contentType: 'image/webp' };
}
