/**
 * Appending one record to the log, as a pure function of the log's tail: the record's canonical
 * bytes and leaf hash, the new compact range, the perfect subtrees the append completes (stored
 * for proofs) and the tree head to sign. The repository stores what this returns.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyRotationRecordOf, LogKeyUnavailableError, LogSigner } from './keys';
import { appendWithNodes, frontierRoot } from './merkle';
import { canonicalRecord, recordLeafHash, type DisclosureRecord } from './record';
import { keyId, signTreeHead, type SignedTreeHead } from './tree-head';

export interface LogTail {
  /** How many records the log holds: the next record's position. */
  readonly size: number;
  /** The compact range (RFC 9162 §2.1.1's perfect subtrees) of the log so far. */
  readonly frontier: readonly string[];
  /**
   * The key of the last head: the key in force, which must sign the next head (a rotation
   * record aside). Null for an empty log; absent where the caller does not know it.
   */
  readonly keyId?: string | null;
}

export interface AppendedRecord {
  readonly record: DisclosureRecord;
  readonly canonical: string;
  readonly leafHash: string;
  readonly frontier: string[];
  readonly nodes: ReadonlyArray<{ level: number; index: number; hash: string }>;
  readonly treeHead: SignedTreeHead;
}

type HeadFields = { treeSize: number; rootHash: string; timestamp: string };

/**
 * Appends `record` and signs the new head: with the signer's key in force (a LogSigner), or with
 * what `sign` returns, which must then be the key in force too. A process without that key
 * throws LogKeyUnavailableError: retryable, nothing appended.
 */
export function appendRecord(
  tail: LogTail,
  record: DisclosureRecord,
  sign: LogSigner | ((head: HeadFields) => SignedTreeHead),
): AppendedRecord {
  return append(tail, record, (head) => {
    if (sign instanceof LogSigner) return sign.sign(head, tail.keyId ?? null);
    const signed = sign(head);
    if (tail.keyId && signed.keyId !== tail.keyId)
      throw new LogKeyUnavailableError(tail.keyId, [signed.keyId]);
    return signed;
  });
}

/**
 * Appends the record handing the log from `previous` (the key in force, which signs the
 * announcement) to `next` (which signs the head holding it, and every later one).
 */
export function appendKeyRotation(
  tail: LogTail,
  previous: KeyObject,
  next: KeyObject,
  meta: { id: string; publishedAt: string },
): AppendedRecord {
  const previousId = keyId(createPublicKey(previous));
  if (tail.keyId && tail.keyId !== previousId) throw new LogKeyUnavailableError(tail.keyId, [previousId]);
  const record = keyRotationRecordOf(previous, next, { ...meta, seq: tail.size });
  return append(tail, record, (head) => signTreeHead(head, next));
}

function append(tail: LogTail, record: DisclosureRecord, sign: (head: HeadFields) => SignedTreeHead) {
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
