/**
 * `npm run verify -- --url <baseUrl> [--files [--since <seq>]]` or `npm run verify -- --file <records.json>` [--key <public key PEM file>]
 *
 * Recomputes the whole public log from the export alone — each record's RFC 8785 canonical JSON,
 * the RFC 9162 Merkle root after every record, every Ed25519 signed tree head — and exits 0 when
 * it checks out, 1 naming the first bad record when anything was altered, removed, reordered or
 * inserted, 2 on a usage error. With --url it also checks that the export is consistent with
 * the live log head. Pin the key with --key to trust nothing the server says. With --files it
 * downloads every file a record names and checks its bytes against the SHA-256 the record holds
 * (a file withdrawn for a legal reason is reported, not counted as a failure); with --since, only
 * the files of records from that position on (a citizen's periodic check of what is new).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  filesNamedBy,
  verifyConsistency,
  verifyExport,
  verifyTreeHead,
  type LogExport,
  type SignedTreeHead,
} from '@openccs/disclosure';

interface Args {
  url?: string;
  file?: string;
  key?: string;
  files?: boolean;
  since?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--files') {
      args.files = true;
    } else if (flag === '--since' && value !== undefined && /^\d{1,15}$/.test(value)) {
      args.since = Number(value);
      i++;
    } else if ((flag === '--url' || flag === '--file' || flag === '--key') && value) {
      args[flag.slice(2) as 'url' | 'file' | 'key'] = value;
      i++;
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!args.url === !args.file)
    throw new Error('give exactly one of --url <baseUrl> or --file <records.json>');
  if (args.files && !args.url) throw new Error('--files needs --url: the files are downloaded from the site');
  if (args.since !== undefined && !args.files) throw new Error('--since goes with --files');
  return args;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `verify: ${(err as Error).message}\nusage: npm run verify -- --url <baseUrl> [--files [--since <seq>]] | --file <records.json> [--key <public-key.pem>]\n`,
    );
    return 2;
  }
  const base = args.url?.replace(/\/+$/, '');
  const data = base
    ? await getJson<LogExport>(`${base}/public/v1/export/records.json`)
    : (JSON.parse(readFileSync(args.file as string, 'utf8')) as LogExport);
  const key: KeyObject | undefined = args.key ? createPublicKey(readFileSync(args.key, 'utf8')) : undefined;

  const verdict = verifyExport(data, key ? { publicKey: key } : {});
  if (!verdict.ok) {
    process.stdout.write(`FAILED: ${verdict.problem}\n`);
    if (verdict.position !== undefined)
      process.stdout.write(
        `first bad record: position ${verdict.position}${verdict.recordId ? ` (id ${verdict.recordId})` : ''}\n`,
      );
    return 1;
  }

  if (base) {
    // The live head may have grown since the export: it must extend the exported tree.
    const live = (await getJson<{ treeHead: SignedTreeHead }>(`${base}/public/v1/log`)).treeHead;
    const publicKey = key ?? createPublicKey(data.publicKey);
    if (live.treeSize < verdict.treeSize || (live.treeSize > 0 && !verifyTreeHead(live, publicKey))) {
      process.stdout.write('FAILED: the live log head is smaller than the export or badly signed\n');
      return 1;
    }
    if (live.treeSize > verdict.treeSize && verdict.treeSize > 0) {
      const proof = await getJson<{ proof: string[] }>(
        `${base}/public/v1/log/consistency?from=${verdict.treeSize}&to=${live.treeSize}`,
      );
      if (!verifyConsistency(verdict.treeSize, live.treeSize, proof.proof, verdict.rootHash, live.rootHash)) {
        process.stdout.write(
          'FAILED: the live log is not an extension of the exported log: history was rewritten\n',
        );
        return 1;
      }
    }
  }
  let filesLine = '';
  if (base && args.files) {
    const checked = await verifyFiles(base, data, args.since ?? 0);
    if (!checked.ok) {
      process.stdout.write(`FAILED: ${checked.problem}\nfirst bad record: position ${checked.position}\n`);
      return 1;
    }
    filesLine = `\n${checked.count} files match their records${checked.withdrawn ? `, ${checked.withdrawn} withdrawn for a legal reason` : ''}`;
  }
  process.stdout.write(
    `OK: ${verdict.treeSize} records, root ${verdict.rootHash}${filesLine}\nsigned by key ${verdict.keyId}` +
      (key ? ' (pinned)\n' : ' (from the export: compare it with the fingerprint the agency publishes)\n'),
  );
  return 0;
}

/** Downloads every file the records name, once, and compares its SHA-256 with theirs. */
async function verifyFiles(
  base: string,
  data: LogExport,
  since: number,
): Promise<
  { ok: true; count: number; withdrawn: number } | { ok: false; problem: string; position: number }
> {
  const seen = new Set<string>();
  let count = 0;
  let withdrawn = 0;
  for (const { record } of data.entries) {
    if (record.seq < since) continue;
    for (const file of filesNamedBy(record)) {
      if (seen.has(file.sha256)) continue;
      seen.add(file.sha256);
      const res = await fetch(`${base}/public/v1/files/${file.sha256}`);
      if (res.status === 410) {
        withdrawn++;
        await res.body?.cancel();
        continue;
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        return {
          ok: false,
          problem: `${file.name} (${file.sha256}) answered ${res.status}`,
          position: record.seq,
        };
      }
      const hash = createHash('sha256');
      const reader = res.body.getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) hash.update(part.value);
      const actual = hash.digest('hex');
      if (actual !== file.sha256)
        return {
          ok: false,
          problem: `${file.name}: the record names ${file.sha256}, the site serves bytes hashing to ${actual}`,
          position: record.seq,
        };
      count++;
    }
  }
  return { ok: true, count, withdrawn };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`verify: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
