/**
 * `npm run verify -- --url <baseUrl> [--files [--since <seq>]]` or `npm run verify -- --file <records.json>` [--key <public key PEM file>]
 *
 * Recomputes the whole public log from the export alone — each record's RFC 8785 canonical JSON,
 * the RFC 9162 Merkle root after every record, every Ed25519 signed tree head — and exits 0 when
 * it checks out, 1 naming the first bad record when anything was altered, removed, reordered or
 * inserted, 2 on a usage error. With --url it also checks that the export is consistent with
 * the live log head. The log may change keys: each head is checked against the key in force at
 * its size, followed from the FIRST key through the key rotation records in the log (each signed
 * by the key it retires); a bad rotation record, or a head signed by a key not in force, fails.
 * Pin the first key with --key to trust nothing the server says. With --files it
 * downloads every file a record names and checks its bytes against the SHA-256 the record holds
 * (a file withdrawn for a legal reason is reported, not counted as a failure); with --since, only
 * the files of records from that position on (a citizen's periodic check of what is new). With
 * --figures it recomputes, from the export alone, every project overview's figures, every agency's
 * figures and every red flag (libs/disclosure, the code the site runs), each at the tree size the
 * site says it computed them at, and names any figure the site serves differently. With
 * --head <file> it checks a signed tree head kept earlier (held-head.ts): a log that no longer
 * extends a head it signed has forked, and the verifier says FORK and exits 1.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import {
  agencyFigures,
  factsOfProject,
  filesNamedBy,
  overviewFigures,
  projectFacts,
  redFlags,
  type DisclosureRecord,
  type FlagThresholds,
  verifyConsistency,
  headKeyProblem,
  keyAt,
  verifyExport,
  type LogExport,
  type SignedTreeHead,
} from '@openccs/disclosure';
import { checkHeldHead, readHeldHead } from './held-head';

interface Args {
  url?: string;
  file?: string;
  key?: string;
  files?: boolean;
  since?: number;
  figures?: boolean;
  head?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--files') {
      args.files = true;
    } else if (flag === '--figures') {
      args.figures = true;
    } else if (flag === '--since' && value !== undefined && /^\d{1,15}$/.test(value)) {
      args.since = Number(value);
      i++;
    } else if ((flag === '--url' || flag === '--file' || flag === '--key' || flag === '--head') && value) {
      args[flag.slice(2) as 'url' | 'file' | 'key' | 'head'] = value;
      i++;
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!args.url === !args.file)
    throw new Error('give exactly one of --url <baseUrl> or --file <records.json>');
  if (args.files && !args.url) throw new Error('--files needs --url: the files are downloaded from the site');
  if (args.since !== undefined && !args.files) throw new Error('--since goes with --files');
  if (args.figures && !args.url)
    throw new Error(
      '--figures needs --url: the figures the site serves are compared with the recomputed ones',
    );
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
      `verify: ${(err as Error).message}\nusage: npm run verify -- --url <baseUrl> [--files [--since <seq>]] [--figures] | --file <records.json> [--key <public-key.pem>] [--head <held-head.json>]\n`,
    );
    return 2;
  }
  const base = args.url?.replace(/\/+$/, '');
  // The site's figures first, the export after: the log only grows, so the export holds every
  // record the figures were computed from.
  const served = base && args.figures ? await servedFigures(base) : undefined;
  // The live head before the export, for the same reason: the export then holds the tree it signs.
  const live = base
    ? (await getJson<{ treeHead: SignedTreeHead }>(`${base}/public/v1/log`)).treeHead
    : undefined;
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

  if (base && live && live.treeSize > 0) {
    // The live head, read first, signs a tree the export holds: the same root, by the key in
    // force at its size. (Served by another process a moment later, it may also be larger: then
    // it must extend the exported tree.)
    const signer = keyAt(verdict.keys, Math.min(live.treeSize, verdict.treeSize + 1));
    const problem = signer
      ? headKeyProblem(
          live,
          createPublicKey(signer.publicKey),
          verdict.keys,
          live.treeSize,
          'the live log head',
        )
      : 'the live log head has no key in force';
    if (problem) {
      process.stdout.write(`FAILED: ${problem}\n`);
      return 1;
    }
    const exported = data.entries[live.treeSize - 1]?.treeHead;
    if (exported && exported.rootHash !== live.rootHash) {
      process.stdout.write(
        `FAILED: the live log head of size ${live.treeSize} has another root than the export: history was rewritten\n`,
      );
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
  if (args.head) {
    const publicKey = key ?? createPublicKey(data.publicKey);
    const held = await checkHeldHead(
      readHeldHead(args.head),
      publicKey,
      data,
      base
        ? {
            head: (await getJson<{ treeHead: SignedTreeHead }>(`${base}/public/v1/log`)).treeHead,
            proofOf: async (from, to) =>
              (await getJson<{ proof: string[] }>(`${base}/public/v1/log/consistency?from=${from}&to=${to}`))
                .proof,
          }
        : undefined,
    );
    if (!held.ok) {
      process.stdout.write(`${held.fork ? '' : 'FAILED: '}${held.problem}\n`);
      return 1;
    }
    filesLine += `\n${held.line}`;
  }
  if (base && args.files) {
    const checked = await verifyFiles(base, data, args.since ?? 0);
    if (!checked.ok) {
      process.stdout.write(`FAILED: ${checked.problem}\nfirst bad record: position ${checked.position}\n`);
      return 1;
    }
    filesLine = `\n${checked.count} files match their records${checked.withdrawn ? `, ${checked.withdrawn} withdrawn for a legal reason` : ''}`;
  }
  if (served) {
    const mismatch = checkFigures(
      served,
      data.entries.map((e) => e.record),
    );
    if (mismatch) {
      process.stdout.write(`FAILED: ${mismatch}\n`);
      return 1;
    }
    filesLine += `\nfigures match: ${served.overviews.length} project overviews, ${served.agencies.items.length} agencies, ${served.flags.items.length} red flags`;
  }
  const [first] = verdict.keys;
  const rotations = verdict.keys
    .slice(1)
    .map(
      (k) =>
        `\n  key ${k.keyId} from tree size ${k.fromTreeSize} (announced by record ${String(k.announcedAt)}, signed by the key before it)`,
    )
    .join('');
  process.stdout.write(
    `OK: ${verdict.treeSize} records, root ${verdict.rootHash}${filesLine}\n` +
      `first key ${first?.keyId ?? verdict.keyId}` +
      (key ? ' (pinned)' : ' (from the export: compare it with the fingerprint the agency publishes)') +
      rotations +
      `\nsigned by key ${verdict.keyId}\n`,
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

interface AsOf {
  asOf: { treeSize: number };
}
interface Served {
  thresholds: FlagThresholds;
  overviews: Array<Record<string, unknown> & AsOf & { code: string }>;
  agencies: { items: Record<string, unknown>[] } & AsOf;
  flags: { items: Array<{ id: string }> } & AsOf;
}

/** Every page of a public list, at one tree size (a list that moved on while paging is re-read). */
async function allPages<T>(url: string): Promise<{ items: T[] } & AsOf> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const items: T[] = [];
    let size: number | undefined;
    let moved = false;
    for (let cursor: string | null = null; ;) {
      const page: { items: T[]; nextCursor: string | null } & AsOf = await getJson(
        `${url}${url.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      if (size !== undefined && page.asOf.treeSize !== size) moved = true;
      size = page.asOf.treeSize;
      items.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    if (!moved) return { items, asOf: { treeSize: size ?? 0 } };
  }
  throw new Error(`${url} kept changing while it was read`);
}

async function servedFigures(base: string): Promise<Served> {
  const profile = await getJson<{ integrity: FlagThresholds }>(`${base}/public/v1/profile`);
  const codes: string[] = [];
  for (let cursor: string | null = null; ;) {
    const page: { items: Array<{ code: string }>; nextCursor: string | null } = await getJson(
      `${base}/public/v1/projects?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    codes.push(...page.items.map((p) => p.code));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const overviews: Served['overviews'] = [];
  for (const code of codes)
    overviews.push(await getJson(`${base}/public/v1/projects/${encodeURIComponent(code)}`));
  return {
    thresholds: profile.integrity,
    overviews,
    agencies: await allPages(`${base}/public/v1/agencies`),
    flags: await allPages(`${base}/public/v1/flags`),
  };
}

const same = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

/** The first figure the site serves differently from what the records say, or null. */
function checkFigures(served: Served, records: readonly DisclosureRecord[]): string | null {
  const memo = new Map<number, ReturnType<typeof recompute>>();
  const at = (size: number) => {
    if (size > records.length)
      throw new Error(`the site computed figures at ${size} records; the export has ${records.length}`);
    let figures = memo.get(size);
    if (!figures) memo.set(size, (figures = recompute(records.slice(0, size), served.thresholds)));
    return figures;
  };
  for (const overview of served.overviews) {
    const { projects, flags } = at(overview.asOf.treeSize);
    const facts = projects.get(overview.code) ?? factsOfProject(overview.code, []);
    const mine = flags.filter((f) => f.subject.project === overview.code);
    const expected: Record<string, unknown> = {
      ...overviewFigures(facts),
      flags: {
        raised: mine.filter((f) => f.status === 'raised').length,
        outweighed: mine.filter((f) => f.status === 'outweighed').length,
      },
    };
    for (const [name, value] of Object.entries(expected))
      if (!same(overview[name], value))
        return `project ${overview.code}: ${name} is served as ${canonicalize(overview[name])} but the records give ${canonicalize(value)}`;
  }
  const agencies = at(served.agencies.asOf.treeSize).agencies;
  const byId = new Map(agencies.map((a) => [a.id, a]));
  if (served.agencies.items.length !== agencies.length)
    return `${served.agencies.items.length} agencies are served, the records give ${agencies.length}`;
  for (const agency of served.agencies.items) {
    const expected = byId.get(agency.id as string);
    if (!same(agency, expected))
      return `agency ${String(agency.name)} (${String(agency.id)}): served ${canonicalize(agency)}, the records give ${canonicalize(expected)}`;
  }
  const flags = [...at(served.flags.asOf.treeSize).flags].sort((a, b) => (a.id < b.id ? -1 : 1));
  const servedFlags = [...served.flags.items].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (!same(servedFlags, flags)) {
    const first =
      flags.find((f, i) => !same(f, servedFlags[i])) ?? servedFlags.find((f, i) => !same(f, flags[i]));
    return `red flags differ (served ${servedFlags.length}, recomputed ${flags.length}), first at ${first?.id ?? 'the end of the list'}`;
  }
  return null;
}

function recompute(records: readonly DisclosureRecord[], thresholds: FlagThresholds) {
  const projects = projectFacts(records);
  const agencies = agencyFigures(projects);
  return { projects, agencies, flags: redFlags(projects, agencies, thresholds) };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`verify: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
