/**
 * Appending one record to the log, as a pure function of the log's tail: the record's canonical
 * bytes and leaf hash, the new compact range, the perfect subtrees the append completes (stored
 * for proofs) and the tree head to sign. The repository stores what this returns.
 */
import { appendWithNodes, frontierRoot } from './merkle';
import { canonicalRecord, recordLeafHash, type DisclosureRecord } from './record';
import type { SignedTreeHead } from './tree-head';

export interface LogTail {
  /** How many records the log holds: the next record's position. */
  readonly size: number;
  /** The compact range (RFC 9162 §2.1.1's perfect subtrees) of the log so far. */
  readonly frontier: readonly string[];
}

export interface AppendedRecord {
  readonly record: DisclosureRecord;
  readonly canonical: string;
  readonly leafHash: string;
  readonly frontier: string[];
  readonly nodes: ReadonlyArray<{ level: number; index: number; hash: string }>;
  readonly treeHead: SignedTreeHead;
}

export function appendRecord(
  tail: LogTail,
  record: DisclosureRecord,
  sign: (head: { treeSize: number; rootHash: string; timestamp: string }) => SignedTreeHead,
): AppendedRecord {
  if (record.seq !== tail.size)
    throw new RangeError(`record ${record.seq} cannot follow a log of ${tail.size}`);
  const canonical = canonicalRecord(record);
  const leafHash = recordLeafHash(record);
  const { frontier, nodes } = appendWithNodes(tail.frontier, tail.size, leafHash);
  const treeHead = sign({
    treeSize: tail.size + 1,
    rootHash: frontierRoot(frontier),
    timestamp: record.publishedAt,
  });
  return { record, canonical, leafHash, frontier, nodes, treeHead };
}
