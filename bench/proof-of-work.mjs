// What the feedback proof of work costs each side, to choose its difficulty (maxNumber) from:
// for each difficulty, fresh challenges solved on one core by the module's own solveChallenge
// (node:crypto, what a scripted abuser would run at least), and by the portal's browser script
// (feedback-pow.js on Node's Web Crypto: what an honest citizen's page runs, roughly), with the
// median and p90 solve time and the solves per hour one core can make. The baseline is the
// server's side in the same run: verifying one payload, and its ratio to one solve.
//
//   npm run build --silent && node bench/proof-of-work.mjs [built proof-of-work.js]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { fmt, machine, pct, ROOT } from './lib.mjs';

const DIFFICULTIES = [50_000, 100_000, 250_000, 1_000_000];
const NODE_SAMPLES = 20;
// The Web Crypto path is an order of magnitude slower; five samples keep the run near a minute.
const PAGE_SAMPLES = 5;
const VERIFY_ROUNDS = 20_000;
const HMAC_KEY = 'bench-hmac-key-0123456789abcdef';

const MODULE = resolve(process.argv[2] ?? join(ROOT, 'dist/apps/api/src/feedback/proof-of-work.js'));
if (!existsSync(MODULE)) {
  console.error(`${MODULE} is missing: run \`npm run build\` first`);
  process.exit(1);
}
const { createChallenge, solveChallenge, verifySolution } = (await import(pathToFileURL(MODULE))).default;

/** window.openccsSolve from the portal's script, on a page made of Node's own Web Crypto. */
function pageSolver() {
  const window = { addEventListener: () => undefined };
  const document = { readyState: 'complete', querySelectorAll: () => [] };
  const source = readFileSync(join(ROOT, 'apps/api/src/portal/assets/feedback-pow.js'), 'utf8');
  runInNewContext(source, { window, document, crypto: globalThis.crypto, TextEncoder, setTimeout });
  return window.openccsSolve;
}

const payloadOf = (c, number) =>
  Buffer.from(
    JSON.stringify({
      algorithm: c.algorithm,
      challenge: c.challenge,
      number,
      salt: c.salt,
      signature: c.signature,
    }),
  ).toString('base64');

/** Solves `samples` fresh challenges; returns each solve's milliseconds and its base64 payload. */
async function solveMany(solve, maxNumber, samples) {
  const runs = [];
  for (let i = 0; i < samples; i++) {
    const c = createChallenge({ hmacKey: HMAC_KEY, maxNumber, expiresInSeconds: 3600 });
    const start = performance.now();
    const number = await solve(c);
    const ms = performance.now() - start;
    if (number === null) throw new Error('a fresh challenge had no solution');
    runs.push({ ms, hashes: number + 1, payload: payloadOf(c, number) });
  }
  return runs;
}

function summary(runs) {
  const ms = runs.map((r) => r.ms);
  const totalMs = ms.reduce((a, b) => a + b, 0);
  const hashes = runs.reduce((a, r) => a + r.hashes, 0);
  return {
    samples: runs.length,
    medianMs: pct(ms, 50),
    p90Ms: pct(ms, 90),
    meanMs: totalMs / runs.length,
    hashesPerSecond: Math.round((hashes / totalMs) * 1000),
    // Throughput is what an abuser buys with a core: the mean, not the median, decides it.
    solvesPerHourPerCore: Math.round(3_600_000 / (totalMs / runs.length)),
  };
}

/** Microseconds per verification of a valid base64 payload: the server's whole share. */
function verifyMicros(payloads) {
  const now = new Date();
  const start = performance.now();
  for (let i = 0; i < VERIFY_ROUNDS; i++) {
    const result = verifySolution(payloads[i % payloads.length], { hmacKey: HMAC_KEY, now });
    if (!result.ok) throw new Error(`a valid payload was refused: ${result.reason}`);
  }
  return ((performance.now() - start) * 1000) / VERIFY_ROUNDS;
}

async function main() {
  const page = pageSolver();
  const rows = [];
  for (const maxNumber of DIFFICULTIES) {
    const native = await solveMany(solveChallenge, maxNumber, NODE_SAMPLES);
    const browser = await solveMany(page, maxNumber, PAGE_SAMPLES);
    const verifyUs = verifyMicros(native.map((r) => r.payload));
    const node = summary(native);
    rows.push({
      maxNumber,
      expectedHashes: maxNumber / 2,
      node,
      pageScript: summary(browser),
      verifyUs: Number(verifyUs.toFixed(1)),
      verifyToSolveRatio: Number((verifyUs / 1000 / node.medianMs).toExponential(2)),
    });
  }

  console.log(`proof of work, one core (${machine().cpu}, Node ${process.version})`);
  console.log(
    ' maxNumber │ node median    p90 ms │ solves/h/core │ page median    p90 ms │ verify µs │ verify/solve',
  );
  for (const r of rows) {
    console.log(
      `${String(r.maxNumber).padStart(10)} │ ${fmt(r.node.medianMs)} ${fmt(r.node.p90Ms)} │ ${String(
        r.node.solvesPerHourPerCore,
      ).padStart(
        13,
      )} │ ${fmt(r.pageScript.medianMs)} ${fmt(r.pageScript.p90Ms)} │ ${fmt(r.verifyUs)} │ ${r.verifyToSolveRatio}`,
    );
  }
  console.log(JSON.stringify({ benchmark: 'proof-of-work', machine: machine(), rows }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
