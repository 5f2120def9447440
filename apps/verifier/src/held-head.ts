/**
 * `--head <file>`: a signed tree head a citizen kept (as GET /public/v1/log served it) checked
 * against the log as it is now. A log that only grows is consistent with every head it ever
 * signed (RFC 9162 §2.1.4); a head it signed that the log no longer extends proves a fork: its
 * history was rewritten or rolled back (a restore from a backup does exactly that).
 */
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyConsistency, verifyTreeHead, type LogExport, type SignedTreeHead } from '@openccs/disclosure';

export type HeldHeadVerdict =
  | { readonly ok: true; readonly line: string }
  | { readonly ok: false; readonly fork: boolean; readonly problem: string };

/** Reads a held head: the tree head itself, or the whole answer of GET /public/v1/log. */
export function readHeldHead(path: string): SignedTreeHead {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as SignedTreeHead | { treeHead: SignedTreeHead };
  return 'treeHead' in parsed ? parsed.treeHead : parsed;
}

/**
 * Checks `held` against the verified export and, with `live`, the log's live head and a
 * consistency proof fetched by `proofOf(from, to)`.
 */
export async function checkHeldHead(
  held: SignedTreeHead,
  publicKey: KeyObject,
  data: LogExport,
  live?: { head: SignedTreeHead; proofOf(from: number, to: number): Promise<string[]> },
): Promise<HeldHeadVerdict> {
  const name = `the held head (size ${held.treeSize}, ${held.timestamp})`;
  if (!verifyTreeHead(held, publicKey))
    return { ok: false, fork: false, problem: `${name} is not signed by this log's key: it proves nothing` };
  if (held.treeSize === 0) return { ok: true, line: `${name} is the empty log's` };
  const exported = data.entries[held.treeSize - 1]?.treeHead;
  if (exported) {
    return exported.rootHash === held.rootHash
      ? { ok: true, line: `${name} is consistent with the log` }
      : {
          ok: false,
          fork: true,
          problem: `FORK: ${name} has root ${held.rootHash}, the log's first ${held.treeSize} records have root ${exported.rootHash}: the log signed two different histories`,
        };
  }
  if (!live)
    return {
      ok: false,
      fork: false,
      problem: `${name} is larger than the export (${data.entries.length} records): check it with --url against the live log`,
    };
  if (live.head.treeSize < held.treeSize)
    return {
      ok: false,
      fork: true,
      problem: `FORK: ${name} covers more records than the live log (${live.head.treeSize}): records the log signed are gone`,
    };
  const proof = await live.proofOf(held.treeSize, live.head.treeSize);
  return verifyConsistency(held.treeSize, live.head.treeSize, proof, held.rootHash, live.head.rootHash)
    ? { ok: true, line: `${name} is consistent with the live log` }
    : {
        ok: false,
        fork: true,
        problem: `FORK: the live log (size ${live.head.treeSize}) does not extend ${name}: the log signed two different histories`,
      };
}
