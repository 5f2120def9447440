/**
 * Verifies a log export from its data alone: every record in order, its leaf, every signed tree
 * head (one after each record) against the log's key, and that each head's root is the root of
 * the records up to it. The first record whose head does not hold is the first bad record.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { rootHash } from './merkle';
import { recordLeafHash, type DisclosureRecord } from './record';
import { verifyTreeHead, type SignedTreeHead } from './tree-head';

export interface LogExport {
  readonly publicKey: string;
  readonly treeHead: SignedTreeHead;
  readonly entries: readonly { readonly record: DisclosureRecord; readonly treeHead: SignedTreeHead }[];
}

export type Verdict =
  | { readonly ok: true; readonly treeSize: number; readonly rootHash: string; readonly keyId: string }
  | { readonly ok: false; readonly problem: string; readonly position?: number; readonly recordId?: string };

export function verifyExport(data: LogExport, options: { publicKey?: KeyObject } = {}): Verdict {
  let key: KeyObject;
  try {
    key = options.publicKey ?? createPublicKey(data.publicKey);
  } catch {
    return { ok: false, problem: 'the export carries no readable public key' };
  }
  const leaves: string[] = [];
  for (const [i, entry] of data.entries.entries()) {
    const name = { position: i, recordId: entry.record?.id };
    if (entry.record?.seq !== i) {
      return {
        ok: false,
        ...name,
        problem: `record at position ${i} has sequence number ${entry.record?.seq}: records were removed, reordered or inserted`,
      };
    }
    leaves.push(recordLeafHash(entry.record));
    if (!verifyTreeHead(entry.treeHead, key)) {
      return {
        ok: false,
        ...name,
        problem: `the signed tree head after record ${i} has a bad signature or key`,
      };
    }
    if (entry.treeHead.treeSize !== i + 1 || entry.treeHead.rootHash !== rootHash(leaves)) {
      return {
        ok: false,
        ...name,
        problem: `record ${i} (${entry.record.id}) does not match the signed tree head published with it: it was altered`,
      };
    }
  }
  const head = data.treeHead;
  if (!verifyTreeHead(head, key))
    return { ok: false, problem: 'the latest signed tree head has a bad signature or key' };
  if (head.treeSize !== leaves.length) {
    return {
      ok: false,
      position: Math.min(head.treeSize, leaves.length),
      problem: `the signed tree head covers ${head.treeSize} records but the export has ${leaves.length}: records were removed or added`,
    };
  }
  if (head.rootHash !== rootHash(leaves))
    return { ok: false, problem: 'the latest signed tree head does not match the records' };
  return { ok: true, treeSize: leaves.length, rootHash: head.rootHash, keyId: head.keyId };
}
