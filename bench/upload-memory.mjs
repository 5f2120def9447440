// Uploading a large file keeps the API's memory flat: the built system (`npm start`) with
// MAX_UPLOAD_BYTES raised to 1 GB receives a 500 MB file, streamed by a client that never holds it
// either, while the API process's resident memory is sampled every 50 ms. The baseline is the same
// process idle (after a small upload, so every code path is loaded), in the same run.
//
//   npm run bench:upload          (UPLOAD_MB=500 by default)
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fmt, sleep, startSystem, verdict, writeResult } from './lib.mjs';

const MB = 1024 * 1024;
const SIZE = Number(process.env.UPLOAD_MB ?? 500) * MB;
const BUDGET_MB = 100;

/** The API process among the launcher's children: its command line names its entry point. */
function apiPid(launcherPid) {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const parent = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (parent === launcherPid && cmd.includes('apps/api/src/main.js')) return Number(pid);
    } catch {}
  }
  throw new Error('the API process was not found');
}

const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Sends `size` bytes as the `file` part of a multipart body, generated as it goes. */
function upload(base, token, size, name) {
  const boundary = `openccs-bench-${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(MB, 0x20);
  const fill = size - 9;
  async function* body() {
    yield head;
    for (let sent = 0; sent < fill; sent += MB)
      yield sent + MB <= fill ? chunk : chunk.subarray(0, fill - sent);
    yield tail;
  }
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/v1/files`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + fill + tail.length),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, body: text }));
      },
    );
    req.on('error', reject);
    Readable.from(body()).pipe(req);
  });
}

const system = await startSystem({ MAX_UPLOAD_BYTES: String(1024 * MB) });
try {
  const token = await system.login('admin');
  const pid = apiPid(system.pid);
  const warm = await upload(system.base, token, 2 * MB, 'warm-up.pdf');
  if (warm.status !== 201) throw new Error(`warm-up upload: ${warm.status} ${warm.body}`);
  await sleep(2_000);
  const idleSamples = [];
  for (let i = 0; i < 20; i++) {
    idleSamples.push(rssMb(pid));
    await sleep(50);
  }
  const idle = Math.max(...idleSamples);

  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 50);
  const started = performance.now();
  const big = await upload(system.base, token, SIZE, 'five-hundred-megabytes.pdf');
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (big.status !== 201) throw new Error(`upload: ${big.status} ${big.body}`);

  const delta = peak - idle;
  const result = writeResult('upload-memory', {
    uploadMb: SIZE / MB,
    idleRssMb: Math.round(idle),
    peakRssMb: Math.round(peak),
    deltaMb: Math.round(delta),
    peakOverIdle: Number((peak / idle).toFixed(2)),
    throughputMbPerSecond: Number((SIZE / MB / seconds).toFixed(1)),
    budgetMb: BUDGET_MB,
    met: delta <= BUDGET_MB,
  });
  console.log(`upload of ${SIZE / MB} MB through POST /api/v1/files (API process RSS)`);
  console.log(`  idle (baseline)   ${fmt(result.idleRssMb, 0)} MB`);
  console.log(`  peak while upload ${fmt(result.peakRssMb, 0)} MB   ×${result.peakOverIdle} of idle`);
  console.log(
    `  growth            ${fmt(result.deltaMb, 0)} MB   budget ${BUDGET_MB} MB: ${verdict(result.met)}`,
  );
  console.log(`  throughput        ${fmt(result.throughputMbPerSecond)} MB/s`);
} finally {
  await system.stop();
}
