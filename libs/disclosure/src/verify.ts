/**
 * Verifies a log export from its data alone: every record in order, its leaf, every signed tree
 * head (one after each record) against the key in force at its size, and that each head's root
 * is the root of the records up to it. The key in force starts as the first key (pinned by the
 * caller, or the export's `publicKey`) and changes only at a key rotation record validly signed
 * by the key it retires (keys.ts): the history is followed in the log, never taken from a list.
 * The first record whose head does not hold is the first bad record.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyRotationProblemName, rotationProblem, type LogKey } from './keys';
import { rootHash } from './merkle';
import { isKeyRotationRecord, recordLeafHash, type DisclosureRecord } from './record';
import { keyId, publicKeyPem, verifyTreeHead, type SignedTreeHead } from './tree-head';

export interface LogExport {
  /** The log's first key (SPKI PEM): the one every later key descends from. */
  readonly publicKey: string;
  /** The key history as the server lists it: informative only, never trusted here. */
  readonly keys?: readonly LogKey[];
  readonly treeHead: SignedTreeHead;
  readonly entries: readonly { readonly record: DisclosureRecord; readonly treeHead: SignedTreeHead }[];
}

export type Verdict =
  | {
      readonly ok: true;
      readonly treeSize: number;
      readonly rootHash: string;
      /** The key in force at the end of the log. */
      readonly keyId: string;
      /** Every key, as the log's rotation records hand it on, from the first. */
      readonly keys: readonly LogKey[];
    }
  | { readonly ok: false; readonly problem: string; readonly position?: number; readonly recordId?: string };

/** The key `keys` says signs the head of `treeSize`. */
export function keyAt(keys: readonly LogKey[], treeSize: number): LogKey | undefined {
  return keys.find((k) => k.fromTreeSize <= treeSize && (k.toTreeSize === null || treeSize < k.toTreeSize));
}

export function verifyExport(data: LogExport, options: { publicKey?: KeyObject } = {}): Verdict {
  let key: KeyObject;
  try {
    key = options.publicKey ?? createPublicKey(data.publicKey);
  } catch {
    return { ok: false, problem: 'the export carries no readable public key' };
  }
  const keys: LogKey[] = [
    { keyId: keyId(key), publicKey: publicKeyPem(key), fromTreeSize: 0, toTreeSize: null, announcedAt: null },
  ];
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
    if (isKeyRotationRecord(entry.record)) {
      const problem = rotationProblem(entry.record, key);
      if (problem !== null)
        return {
          ok: false,
          ...name,
          problem: `${keyRotationProblemName(entry.record)} is not valid: ${problem}`,
        };
      const { nextKey, fromTreeSize } = entry.record.rotation;
      keys[keys.length - 1] = { ...(keys[keys.length - 1] as LogKey), toTreeSize: fromTreeSize };
      keys.push({ ...nextKey, fromTreeSize, toTreeSize: null, announcedAt: i });
      key = createPublicKey(nextKey.publicKey);
    }
    const headProblem = headKeyProblem(entry.treeHead, key, keys, i + 1);
    if (headProblem) return { ok: false, ...name, problem: headProblem };
    if (entry.treeHead.treeSize !== i + 1 || entry.treeHead.rootHash !== rootHash(leaves)) {
      return {
        ok: false,
        ...name,
        problem: `record ${i} (${entry.record.id}) does not match the signed tree head published with it: it was altered`,
      };
    }
  }
  const head = data.treeHead;
  const latestProblem = headKeyProblem(head, key, keys, head.treeSize, 'the latest signed tree head');
  if (latestProblem) return { ok: false, problem: latestProblem };
  if (head.treeSize !== leaves.length) {
    return {
      ok: false,
      position: Math.min(head.treeSize, leaves.length),
      problem: `the signed tree head covers ${head.treeSize} records but the export has ${leaves.length}: records were removed or added`,
    };
  }
  if (head.rootHash !== rootHash(leaves))
    return { ok: false, problem: 'the latest signed tree head does not match the records' };
  return { ok: true, treeSize: leaves.length, rootHash: head.rootHash, keyId: head.keyId, keys };
}

/**
 * Why `head` (of tree size `size`) is not signed by `key`, the key in force at that size, naming
 * a retired key when that is what signed it; null when it holds.
 */
export function headKeyProblem(
  head: SignedTreeHead,
  key: KeyObject,
  keys: readonly LogKey[],
  size: number,
  what = `the signed tree head after record ${size - 1}`,
): string | null {
  const inForce = keyId(key);
  if (head?.keyId !== inForce) {
    const retired = keys.find((k) => k.keyId === head?.keyId && k.toTreeSize !== null);
    return retired
      ? `${what} is signed by the retired key ${retired.keyId} (retired from tree size ${String(retired.toTreeSize)} on); the key in force at size ${size} is ${inForce}`
      : `${what} has a bad signature or key: it names key ${String(head?.keyId)}, but the key in force at size ${size} is ${inForce}`;
  }
  return verifyTreeHead(head, key) ? null : `${what} has a bad signature or key`;
}
