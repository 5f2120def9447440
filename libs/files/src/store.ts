/**
 * Where the bytes of files live, addressed by their SHA-256: the same bytes are stored once, and
 * a name can never point at other bytes. One small interface, two stores: a directory (the
 * default) and any S3-compatible object store.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { FilesConfig } from '@openccs/config';

export interface StoredBytes {
  readonly stream: Readable;
  readonly size: number;
}

export interface FileStore {
  /** Makes the store ready (an S3 bucket that does not exist yet is created). */
  prepare(): Promise<void>;
  /** Whether the bytes of `sha256` are stored. */
  has(sha256: string): Promise<boolean>;
  /** Stores the file at `path` as `sha256`; the file at `path` is gone afterwards. */
  put(sha256: string, path: string, size: number, contentType: string): Promise<void>;
  /** The bytes of `sha256`, or undefined when none are stored. */
  get(sha256: string): Promise<StoredBytes | undefined>;
  /** Removes the bytes of `sha256` (a withdrawal); nothing when there are none. */
  delete(sha256: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

function checked(sha256: string): string {
  // Names come from hashes we computed, but a store never builds a path from anything else.
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
  return sha256;
}

/** Files in a directory: `<dir>/objects/ab/cd/<sha256>`. */
export class LocalFileStore implements FileStore {
  constructor(private readonly dir: string) {}

  async prepare(): Promise<void> {
    await mkdir(join(this.dir, 'objects'), { recursive: true });
  }

  private path(sha256: string): string {
    const sha = checked(sha256);
    return join(this.dir, 'objects', sha.slice(0, 2), sha.slice(2, 4), sha);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      () => true,
      () => false,
    );
  }

  async put(sha256: string, path: string): Promise<void> {
    const target = this.path(sha256);
    await mkdir(dirname(target), { recursive: true });
    try {
      // Uploads are staged under the same directory, so this is a rename: atomic, never half a file.
      await rename(path, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(path, `${target}.partial`);
      await rename(`${target}.partial`, target);
      await rm(path, { force: true });
    }
  }

  async get(sha256: string): Promise<StoredBytes | undefined> {
    const path = this.path(sha256);
    const info = await stat(path).catch(() => undefined);
    return info ? { stream: createReadStream(path), size: info.size } : undefined;
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }
}

/** Objects `files/<sha256>` in a bucket of an S3-compatible store. */
export class S3FileStore implements FileStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: FilesConfig['s3']) {
    if (!config.bucket) throw new Error('S3_BUCKET is required when FILE_STORE=s3');
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
      // The SDK's default CRC32 checksums send streamed bodies in aws-chunked encoding with a
      // trailer, which several S3-compatible stores do not accept. The bytes are addressed by
      // their SHA-256, hashed as they arrive and checked by the verifier (`--files`) against
      // the records that name them, so nothing is lost by asking only when required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private key(sha256: string): string {
    return `files/${checked(sha256)}`;
  }

  /** Creates the bucket when it does not exist (a self-hosted store's first start). */
  async prepare(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw err;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket })).catch((created: unknown) => {
        // Another API process made it first.
        const name = (created as { name?: string }).name;
        if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw created;
      });
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return true;
    } catch (err) {
      if (err instanceof NotFound || (err as { name?: string }).name === 'NotFound') return false;
      throw err;
    }
  }

  async put(sha256: string, path: string, size: number, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(sha256),
        Body: createReadStream(path),
        ContentLength: size,
        ContentType: contentType,
      }),
    );
    await rm(path, { force: true });
  }

  async get(sha256: string): Promise<StoredBytes | undefined> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }),
      );
      return { stream: res.Body as Readable, size: Number(res.ContentLength ?? 0) };
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
  }
}

export function createFileStore(config: FilesConfig): FileStore {
  return config.store === 's3' ? new S3FileStore(config.s3) : new LocalFileStore(config.dir);
}
