/**
 * The RFC 9162 (Certificate Transparency 2.0) Merkle tree over SHA-256: leaf hashes, tree heads,
 * inclusion and consistency proofs, and their verification. Hashes are lower-case hex.
 * Written from the RFC's definitions (§2.1) and checked against published known-answer vectors.
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);
const hex = (b: Buffer): string => b.toString('hex');
const bytes = (h: string): Buffer => Buffer.from(h, 'hex');

/** SHA-256(0x00 || data): the hash of one entry. */
export function leafHash(data: Buffer | string): string {
  return hex(sha256(LEAF, typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
}

function nodeHash(left: string, right: string): string {
  return hex(sha256(NODE, bytes(left), bytes(right)));
}

/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of leaves[from, to), from leaf hashes. */
function mth(leaves: readonly string[], from: number, to: number): string {
  const n = to - from;
  if (n === 0) return hex(sha256());
  if (n === 1) return leaves[from] as string;
  const k = split(n);
  return nodeHash(mth(leaves, from, from + k), mth(leaves, from + k, to));
}

/** The tree head (root hash) of the first `size` leaves (all of them by default). */
export function rootHash(leaves: readonly string[], size = leaves.length): string {
  return mth(leaves, 0, size);
}

/**
 * The compact range of a tree: the roots of its perfect subtrees, largest first (one for each
 * set bit of its size). Growing it by a leaf and deriving the root from it both take O(log n),
 * so the log need not read every leaf to append one.
 */
export function appendToFrontier(frontier: readonly string[], size: number, leaf: string): string[] {
  return appendWithNodes(frontier, size, leaf).frontier;
}

/** As appendToFrontier, also returning the perfect subtrees (level ≥ 1) the new leaf completes. */
export function appendWithNodes(
  frontier: readonly string[],
  size: number,
  leaf: string,
): { frontier: string[]; nodes: Array<{ level: number; index: number; hash: string }> } {
  if (frontier.length !== popCount(size)) throw new RangeError('the frontier does not match the tree size');
  const next = [...frontier];
  const nodes: Array<{ level: number; index: number; hash: string }> = [];
  let carry = leaf;
  let level = 0;
  // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's size: merge it.
  for (let n = size; n % 2 === 1; n = Math.floor(n / 2)) {
    carry = nodeHash(next.pop() as string, carry);
    level += 1;
    nodes.push({ level, index: Math.floor(size / 2 ** level), hash: carry });
  }
  next.push(carry);
  return { frontier: next, nodes };
}

/** The root hash of the tree whose compact range this is: its subtrees folded from the right. */
export function frontierRoot(frontier: readonly string[]): string {
  const last = frontier[frontier.length - 1];
  if (last === undefined) return hex(sha256());
  return frontier.slice(0, -1).reduceRight((acc, node) => nodeHash(node, acc), last);
}

/** The compact range of the first `size` leaves. */
export function frontierOf(leaves: readonly string[], size = leaves.length): string[] {
  let frontier: string[] = [];
  for (let i = 0; i < size; i++) frontier = appendToFrontier(frontier, i, leaves[i] as string);
  return frontier;
}

function popCount(n: number): number {
  let bits = 0;
  for (let m = n; m > 0; m = Math.floor(m / 2)) bits += m % 2;
  return bits;
}

/** MTH of a range of leaves, however the hashes are had. */
type RangeHash = (from: number, to: number) => string;

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(leaves: readonly string[], index: number, size = leaves.length): string[] {
  if (size > leaves.length) throw new RangeError('leaf index outside the tree');
  return inclusionPath((from, to) => mth(leaves, from, to), index, size);
}

function inclusionPath(range: RangeHash, index: number, size: number): string[] {
  if (index < 0 || index >= size) throw new RangeError('leaf index outside the tree');
  const path = (m: number, from: number, to: number): string[] => {
    const n = to - from;
    if (n <= 1) return [];
    const k = split(n);
    return m < k
      ? [...path(m, from, from + k), range(from + k, to)]
      : [...path(m - k, from + k, to), range(from, from + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of size `older` is a prefix of the tree of size `newer`. */
export function consistencyProof(leaves: readonly string[], older: number, newer = leaves.length): string[] {
  if (newer > leaves.length) throw new RangeError('sizes outside the tree');
  return consistencyPath((from, to) => mth(leaves, from, to), older, newer);
}

function consistencyPath(range: RangeHash, older: number, newer: number): string[] {
  if (older < 1 || older > newer) throw new RangeError('sizes outside the tree');
  const sub = (m: number, from: number, to: number, whole: boolean): string[] => {
    const n = to - from;
    if (m === n) return whole ? [] : [range(from, to)];
    const k = split(n);
    return m <= k
      ? [...sub(m, from, from + k, whole), range(from + k, to)]
      : [...sub(m - k, from + k, to, false), range(from, from + k)];
  };
  return sub(older, 0, newer, true);
}

/**
 * The hash of a perfect, aligned subtree: leaves [index · 2^level, (index + 1) · 2^level).
 * Level 0 is the leaves themselves.
 */
export type PerfectNode = (level: number, index: number) => string;

/** MTH of a range from perfect subtrees: each range RFC 9162's recursion meets splits into O(log n) of them. */
function rangeFromNodes(node: PerfectNode): RangeHash {
  const range = (from: number, to: number): string => {
    const n = to - from;
    if (n === 0) return hex(sha256());
    if (isPowerOfTwo(n) && from % n === 0) return node(Math.log2(n), from / n);
    const k = split(n);
    return nodeHash(range(from, from + k), range(from + k, to));
  };
  return range;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/**
 * Proofs from stored perfect subtrees instead of every leaf: `prove` is called once to learn
 * which nodes it needs (O(log² n) of them), which `fetch` loads, then again to build the proof.
 */
export async function proveFromNodes<T>(
  prove: (
    proofs: { inclusion: typeof inclusionPathOf; consistency: typeof consistencyPathOf },
    node: PerfectNode,
  ) => T,
  fetch: (wanted: ReadonlyArray<{ level: number; index: number }>) => Promise<ReadonlyMap<string, string>>,
): Promise<T> {
  const wanted = new Map<string, { level: number; index: number }>();
  prove(PROOFS, (level, index) => {
    wanted.set(`${level}:${index}`, { level, index });
    return '0'.repeat(64);
  });
  const found = await fetch([...wanted.values()]);
  return prove(PROOFS, (level, index) => {
    const hash = found.get(`${level}:${index}`);
    if (hash === undefined) throw new RangeError(`node ${level}:${index} is not stored`);
    return hash;
  });
}

const inclusionPathOf = (node: PerfectNode, index: number, size: number): string[] =>
  inclusionPath(rangeFromNodes(node), index, size);
const consistencyPathOf = (node: PerfectNode, older: number, newer: number): string[] =>
  consistencyPath(rangeFromNodes(node), older, newer);
const PROOFS = { inclusion: inclusionPathOf, consistency: consistencyPathOf };

/** RFC 9162 §2.1.3.2: does `path` prove leaf `index` (hash `leaf`) in the tree of `size` with root `root`? */
export function verifyInclusion(
  leaf: string,
  index: number,
  size: number,
  path: readonly string[],
  root: string,
): boolean {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === root;
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (older, oldRoot) is a prefix of (newer, newRoot)? */
export function verifyConsistency(
  older: number,
  newer: number,
  proof: readonly string[],
  oldRoot: string,
  newRoot: string,
): boolean {
  if (older < 1 || older > newer) return false;
  if (older === newer) return proof.length === 0 && oldRoot === newRoot;
  const path = [...proof];
  // If older is a power of two, the old root is the first node of the proof.
  if ((older & (older - 1)) === 0) path.unshift(oldRoot);
  let fn = older - 1;
  let sn = newer - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr === oldRoot && sr === newRoot;
}
