import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { appendKeyRotation, appendRecord, type LogTail } from './append';
import { keyHistory, LogKeyUnavailableError, LogSigner } from './keys';
import { frontierOf, rootHash } from './merkle';
import { recordLeafHash, type DisclosureRecord, type KeyRotationRecord } from './record';
import { keyId, publicKeyPem, signTreeHead } from './tree-head';
import { keyAt, verifyExport, type LogExport } from './verify';
import { recordsAtom, recordsCsv } from './open-data';
import { projectFacts } from './figures';

const [k1, k2, k3] = [0, 1, 2].map(() => generateKeyPairSync('ed25519').privateKey) as [
  KeyObject,
  KeyObject,
  KeyObject,
];
const id = (k: KeyObject) => keyId(createPublicKey(k));

function record(seq: number): DisclosureRecord {
  return {
    type: 'document',
    seq,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    publishedAt: `2026-11-25T10:00:${String(seq).padStart(2, '0')}.000Z`,
    project: { code: 'SEOUL-2026-0001', title: 'Bridge' },
    document: {
      id: 'd',
      title: 'Contract',
      category: 'contract',
      version: 1,
      file: { sha256: 'a'.repeat(64), name: 'c.pdf', contentType: 'application/pdf', size: 1 },
    },
    actor: { organization: 'Seoul', organizationKind: 'agency', role: 'agency_officer', name: null },
  };
}

/**
 * A log of `plan`: a number appends that many records signed by the key in force, a key object
 * rotates to it. Built with the code the server runs (appendRecord, appendKeyRotation).
 */
function build(plan: ReadonlyArray<number | KeyObject>): LogExport {
  let tail: LogTail = { size: 0, frontier: [], keyId: null };
  let current = k1;
  const entries: Array<LogExport['entries'][number]> = [];
  for (const step of plan) {
    const appended =
      typeof step === 'number'
        ? Array.from({ length: step }, () => {
            const a = appendRecord(tail, record(tail.size), new LogSigner([current]));
            tail = { size: tail.size + 1, frontier: a.frontier, keyId: a.treeHead.keyId };
            return a;
          })
        : [
            (() => {
              const a = appendKeyRotation(tail, current, step, {
                id: `rot-${tail.size}`,
                publishedAt: '2026-11-26T00:00:00.000Z',
              });
              tail = { size: tail.size + 1, frontier: a.frontier, keyId: a.treeHead.keyId };
              current = step;
              return a;
            })(),
          ];
    entries.push(...appended.map((a) => ({ record: a.record, treeHead: a.treeHead })));
  }
  return {
    publicKey: publicKeyPem(k1),
    treeHead: entries[entries.length - 1]?.treeHead as LogExport['treeHead'],
    entries,
  };
}

const clone = (e: LogExport): { -readonly [K in keyof LogExport]: LogExport[K] } =>
  JSON.parse(JSON.stringify(e));

/** Re-signs every head from `from` on with the key in force, as a forger holding the keys could. */
function resign(e: { entries: LogExport['entries'] }, from: number, keyOf: (size: number) => KeyObject) {
  const leaves = e.entries.map((x) => recordLeafHash(x.record));
  return e.entries.map((x, i) =>
    i < from
      ? x
      : {
          record: x.record,
          treeHead: signTreeHead(
            { treeSize: i + 1, rootHash: rootHash(leaves.slice(0, i + 1)), timestamp: x.record.publishedAt },
            keyOf(i + 1),
          ),
        },
  );
}

const rotation = (e: LogExport, seq: number) => e.entries[seq]?.record as KeyRotationRecord;

describe('key rotation', () => {
  it('follows two rotations from the first key, and names each key with its span', () => {
    const log = build([3, k2, 2, k3, 2]);
    const verdict = verifyExport(log);
    expect(verdict).toMatchObject({ ok: true, treeSize: 9, keyId: id(k3) });
    if (!verdict.ok) return;
    expect(verdict.keys).toEqual([
      { keyId: id(k1), publicKey: publicKeyPem(k1), fromTreeSize: 0, toTreeSize: 4, announcedAt: null },
      { keyId: id(k2), publicKey: publicKeyPem(k2), fromTreeSize: 4, toTreeSize: 7, announcedAt: 3 },
      { keyId: id(k3), publicKey: publicKeyPem(k3), fromTreeSize: 7, toTreeSize: null, announcedAt: 6 },
    ]);
    expect(keyAt(verdict.keys, 3)?.keyId).toBe(id(k1));
    expect(keyAt(verdict.keys, 4)?.keyId).toBe(id(k2));
    // The server's list, from the rotation records alone, is the same history.
    expect(
      keyHistory([rotation(log, 3), rotation(log, 6)], { keyId: id(k1), publicKey: publicKeyPem(k1) }),
    ).toEqual(verdict.keys);
    // Pinning the first key gives the same verdict; pinning another key fails at once.
    expect(verifyExport(log, { publicKey: createPublicKey(k1) })).toMatchObject({ ok: true });
    expect(verifyExport(log, { publicKey: createPublicKey(k2) })).toMatchObject({ ok: false, position: 0 });
  });

  it('signs the head holding the rotation with the next key; the announcement with the previous one', () => {
    const log = build([2, k2]);
    expect(log.entries[1]?.treeHead.keyId).toBe(id(k1));
    expect(log.entries[2]?.treeHead.keyId).toBe(id(k2));
    expect(rotation(log, 2).rotation).toMatchObject({
      previousKey: { keyId: id(k1) },
      nextKey: { keyId: id(k2) },
      fromTreeSize: 3,
    });
  });

  it('catches a rotation record whose next key was changed, even with every head re-signed', () => {
    const e = clone(build([2, k2, 2]));
    const r = rotation(e, 2) as { rotation: { nextKey: { keyId: string; publicKey: string } } };
    r.rotation.nextKey = { keyId: id(k3), publicKey: publicKeyPem(k3) };
    e.entries = resign(e, 2, (size) => (size <= 2 ? k1 : k3));
    e.treeHead = e.entries[4]?.treeHead as LogExport['treeHead'];
    expect(verifyExport(e)).toMatchObject({
      ok: false,
      position: 2,
      recordId: 'rot-2',
      problem: expect.stringMatching(/key rotation record at position 2 .*signature/),
    });
  });

  it('catches a rotation record signed by a key other than the one in force', () => {
    const honest = build([2]);
    const tail = (keyOf: KeyObject): LogTail => ({
      size: 2,
      frontier: frontierOf(honest.entries.map((x) => recordLeafHash(x.record))),
      keyId: id(keyOf),
    });
    // k2 announces k3 while k1 is in force: a forger who never held k1.
    const forged = appendKeyRotation(tail(k2), k2, k3, { id: 'forged', publishedAt: 'x' });
    const e = clone(honest);
    e.entries = [...e.entries, { record: forged.record, treeHead: forged.treeHead }];
    e.treeHead = forged.treeHead;
    expect(verifyExport(e)).toMatchObject({
      ok: false,
      position: 2,
      recordId: 'forged',
      problem: expect.stringContaining(`the key in force at its position is ${id(k1)}`),
    });
    // Naming k1 as the previous key, with k2's signature: caught on the signature.
    const g = clone(build([2, k3]));
    (rotation(g, 2) as { rotation: { signature: string } }).rotation.signature = rotation(
      { ...e, entries: [...e.entries] },
      2,
    ).rotation.signature;
    g.entries = resign(g, 2, (size) => (size <= 2 ? k1 : k3));
    g.treeHead = g.entries[2]?.treeHead as LogExport['treeHead'];
    expect(verifyExport(g)).toMatchObject({
      ok: false,
      position: 2,
      problem: expect.stringContaining('its signature is not the signature of the key in force'),
    });
    // A signature that is not base64 of anything valid.
    const h = clone(build([2, k3]));
    (rotation(h, 2) as { rotation: { signature: string } }).rotation.signature = 'not a signature';
    expect(verifyExport(h)).toMatchObject({ ok: false, position: 2 });
  });

  it('catches a rotation record whose position does not match the tree size it claims', () => {
    // Signed honestly for position 5, then moved to position 2 (and every head re-signed).
    const late = rotation(build([5, k2]), 5);
    const e = clone(build([2]));
    e.entries = [...e.entries, { record: { ...late, seq: 2 }, treeHead: e.entries[1]!.treeHead }];
    e.entries = resign(e, 2, (size) => (size <= 2 ? k1 : k2));
    e.treeHead = e.entries[2]?.treeHead as LogExport['treeHead'];
    expect(verifyExport(e)).toMatchObject({
      ok: false,
      position: 2,
      problem: expect.stringContaining('its position 2 decides 3'),
    });
  });

  it('catches a head signed by the retired key after the rotation', () => {
    const e = clone(build([2, k2, 3]));
    e.entries = resign(e, 4, () => k1);
    e.treeHead = e.entries[5]?.treeHead as LogExport['treeHead'];
    expect(verifyExport(e)).toMatchObject({
      ok: false,
      position: 4,
      problem: expect.stringContaining(`signed by the retired key ${id(k1)}`),
    });
    // The latest head alone, signed by the retired key.
    const f = clone(build([2, k2, 1]));
    f.treeHead = resign(f, 3, () => k1)[3]!.treeHead;
    expect(verifyExport(f)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('the latest signed tree head is signed by the retired key'),
    });
    // A head before the rotation signed by the next key.
    const g = clone(build([2, k2]));
    g.entries = resign(g, 1, () => k2);
    expect(verifyExport(g)).toMatchObject({ ok: false, position: 1 });
  });

  it('catches a rotation record removed or altered in any other field', () => {
    const e = clone(build([2, k2, 2]));
    e.entries = e.entries.filter((_, i) => i !== 2);
    expect(verifyExport(e)).toMatchObject({ ok: false, position: 2 });
    const f = clone(build([2, k2, 2]));
    (rotation(f, 2) as { publishedAt: string }).publishedAt = '2020-01-01T00:00:00.000Z';
    expect(verifyExport(f)).toMatchObject({
      ok: false,
      position: 2,
      problem: expect.stringContaining('altered'),
    });
  });
});

describe('signing in a process', () => {
  it('signs with the key in force only, and fails retryably without it', () => {
    const log = build([2, k2]);
    const tail: LogTail = {
      size: 3,
      frontier: [
        rootHash(log.entries.map((x) => recordLeafHash(x.record)).slice(0, 2)),
        recordLeafHash(log.entries[2]!.record),
      ],
      keyId: id(k2),
    };
    expect(() => appendRecord(tail, record(3), new LogSigner([k1]))).toThrow(LogKeyUnavailableError);
    expect(() => appendRecord(tail, record(3), (h) => signTreeHead(h, k1))).toThrow(LogKeyUnavailableError);
    // Holding both (during a rotation), it signs with the one in force.
    expect(appendRecord(tail, record(3), new LogSigner([k1, k2])).treeHead.keyId).toBe(id(k2));
    expect(appendRecord({ ...tail, keyId: id(k1) }, record(3), new LogSigner([k1, k2])).treeHead.keyId).toBe(
      id(k1),
    );
    // An empty log starts with the first configured key.
    expect(
      appendRecord({ size: 0, frontier: [], keyId: null }, record(0), new LogSigner([k2, k1])).treeHead.keyId,
    ).toBe(id(k2));
    // Only the key in force may announce the next one.
    expect(() => appendKeyRotation(tail, k1, k3, { id: 'x', publishedAt: 'x' })).toThrow(
      LogKeyUnavailableError,
    );
  });
});

describe('a rotation record in the open data', () => {
  it('reads as the log changing keys: no project columns in the CSV, its own Atom entry, no figures', () => {
    const log = build([1, k2]);
    const records = log.entries.map((e) => e.record);
    const csv = recordsCsv(records).split('\r\n');
    const header = csv[0]?.split(',') ?? [];
    const row = csv[2]?.split(',') ?? [];
    expect(row[header.indexOf('project_code')]).toBe('');
    expect(row[header.indexOf('record_type')]).toBe('key_rotation');
    expect(recordsAtom(records, 'https://x', '2026-11-30T00:00:00Z')).toContain(
      `The log&apos;s signing key changes from tree size 2`,
    );
    expect([...projectFacts(records).keys()]).toEqual(['SEOUL-2026-0001']);
  });
});
