/** Known-answer vectors (tests/fixtures/rfc9162-merkle-vectors.json, from transparency-dev/merkle via shared/data). */
import vectors from '../../../tests/fixtures/rfc9162-merkle-vectors.json';
import {
  appendWithNodes,
  appendToFrontier,
  proveFromNodes,
  consistencyProof,
  frontierOf,
  frontierRoot,
  inclusionProof,
  leafHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const leaves = vectors.leafInputsHex.map((h) => leafHash(Buffer.from(h, 'hex')));

describe('RFC 9162 Merkle tree', () => {
  it('hashes the empty tree', () => {
    expect(rootHash([])).toBe(vectors.emptyRoot);
  });

  it.each(Object.entries(vectors.rootsBySize))('computes the root of %s leaves', (size, root) => {
    expect(rootHash(leaves, Number(size))).toBe(root);
  });

  it.each(vectors.inclusionProofs.map((p) => [p.leafIndex, p.treeSize, p] as const))(
    'builds and verifies the inclusion proof of leaf %d in a tree of %d',
    (index, size, p) => {
      expect(inclusionProof(leaves, index, size)).toEqual(p.path);
      const root = rootHash(leaves, size);
      expect(verifyInclusion(leaves[index] as string, index, size, p.path, root)).toBe(true);
      expect(verifyInclusion(leaves[(index + 1) % size] as string, index, size, p.path, root)).toBe(false);
    },
  );

  it.each(vectors.consistencyProofs.map((p) => [p.size1, p.size2, p] as const))(
    'builds and verifies the consistency proof from %d to %d',
    (older, newer, p) => {
      expect(consistencyProof(leaves, older, newer)).toEqual(p.proof);
      expect(verifyConsistency(older, newer, p.proof, rootHash(leaves, older), rootHash(leaves, newer))).toBe(
        true,
      );
      expect(verifyConsistency(older, newer, p.proof, rootHash(leaves, older), rootHash(leaves, older))).toBe(
        false,
      );
    },
  );

  it('proves every leaf and every prefix of trees up to 20 leaves', () => {
    const many = Array.from({ length: 20 }, (_, i) => leafHash(`entry ${i}`));
    for (let size = 1; size <= many.length; size++) {
      const root = rootHash(many, size);
      for (let i = 0; i < size; i++) {
        expect(verifyInclusion(many[i] as string, i, size, inclusionProof(many, i, size), root)).toBe(true);
      }
      for (let older = 1; older <= size; older++) {
        expect(
          verifyConsistency(older, size, consistencyProof(many, older, size), rootHash(many, older), root),
        ).toBe(true);
      }
    }
  });

  it('grows a compact range to the same root as the whole tree, for every size up to 300', () => {
    const many = Array.from({ length: 300 }, (_, i) => leafHash(`entry ${i}`));
    let frontier: string[] = [];
    expect(frontierRoot(frontier)).toBe(rootHash([]));
    for (let size = 1; size <= many.length; size++) {
      frontier = appendToFrontier(frontier, size - 1, many[size - 1] as string);
      expect([size, frontierRoot(frontier)]).toEqual([size, rootHash(many, size)]);
      // Never more than one subtree per bit of the size.
      expect(frontier.length).toBeLessThanOrEqual(Math.floor(Math.log2(size)) + 1);
    }
    expect(frontierOf(many)).toEqual(frontier);
    for (const [size, root] of Object.entries(vectors.rootsBySize))
      expect(frontierRoot(frontierOf(leaves, Number(size)))).toBe(root);
    expect(() => appendToFrontier([], 1, leaves[0] as string)).toThrow(RangeError);
  });

  it('builds the same proofs from the perfect subtrees stored at each append as from every leaf', async () => {
    const many = Array.from({ length: 70 }, (_, i) => leafHash(`entry ${i}`));
    const stored = new Map<string, string>();
    let frontier: string[] = [];
    for (const [i, leaf] of many.entries()) {
      stored.set(`0:${i}`, leaf);
      const next = appendWithNodes(frontier, i, leaf);
      for (const n of next.nodes) stored.set(`${n.level}:${n.index}`, n.hash);
      frontier = next.frontier;
    }
    const fetch = (wanted: ReadonlyArray<{ level: number; index: number }>) =>
      Promise.resolve(
        new Map(wanted.map((w) => [`${w.level}:${w.index}`, stored.get(`${w.level}:${w.index}`) ?? ''])),
      );
    for (let size = 1; size <= many.length; size++) {
      for (let i = 0; i < size; i++) {
        const proof = await proveFromNodes((p, node) => p.inclusion(node, i, size), fetch);
        expect([size, i, proof]).toEqual([size, i, inclusionProof(many, i, size)]);
      }
      for (let older = 1; older <= size; older++) {
        const proof = await proveFromNodes((p, node) => p.consistency(node, older, size), fetch);
        expect([size, older, proof]).toEqual([size, older, consistencyProof(many, older, size)]);
      }
    }
  });
});
