import { generateKeyPairSync } from 'node:crypto';
import { rootHash } from './merkle';
import { recordLeafHash, type DisclosureRecord } from './record';
import { publicKeyPem, signTreeHead } from './tree-head';
import { verifyExport, type LogExport } from './verify';

const { privateKey } = generateKeyPairSync('ed25519');

function record(seq: number): DisclosureRecord {
  return {
    seq,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    publishedAt: `2026-11-25T10:00:${String(seq).padStart(2, '0')}.000Z`,
    project: { code: 'SEOUL-2026-0001', title: 'Bridge' },
    report: {
      id: 'r',
      kind: 'design_change',
      title: 'Abutment',
      publicSummary: null,
      revision: 1,
      status: 'in_review',
      amount: { value: 100, currency: 'KRW' },
      body: {},
    },
    step: {
      key: 'supervisor_review',
      name: 'Supervisor review',
      outcome: 'approved',
      openedAt: 'a',
      decidedAt: 'b',
      dueAt: 'c',
      slaSeconds: 10,
      takenSeconds: 5,
      onTime: true,
    },
    actor: {
      organization: 'Daehan Supervision',
      organizationKind: 'supervisor',
      role: 'supervisor',
      name: null,
    },
    onBehalf: null,
    escalations: [],
  };
}

function build(n: number): LogExport {
  const leaves: string[] = [];
  const entries = Array.from({ length: n }, (_, seq) => {
    const r = record(seq);
    leaves.push(recordLeafHash(r));
    return {
      record: r,
      treeHead: signTreeHead(
        { treeSize: seq + 1, rootHash: rootHash(leaves), timestamp: r.publishedAt },
        privateKey,
      ),
    };
  });
  return {
    publicKey: publicKeyPem(privateKey),
    treeHead: entries[n - 1]?.treeHead as LogExport['treeHead'],
    entries,
  };
}

const clone = (e: LogExport): { -readonly [K in keyof LogExport]: LogExport[K] } =>
  JSON.parse(JSON.stringify(e));

describe('verifyExport', () => {
  it('accepts an intact log', () => {
    expect(verifyExport(build(6))).toMatchObject({ ok: true, treeSize: 6 });
  });

  it('names the first altered record', () => {
    const e = clone(build(6));
    (e.entries[3]?.record as { step: { outcome: string } }).step.outcome = 'rejected';
    expect(verifyExport(e)).toMatchObject({
      ok: false,
      position: 3,
      problem: expect.stringContaining('altered'),
    });
  });

  it('names where a record was removed', () => {
    const e = clone(build(6));
    e.entries = e.entries.filter((_, i) => i !== 2);
    expect(verifyExport(e)).toMatchObject({ ok: false, position: 2 });
  });

  it('detects records reordered, even with their sequence numbers swapped back', () => {
    const e = clone(build(6));
    e.entries = [e.entries[0], e.entries[2], e.entries[1], ...e.entries.slice(3)] as LogExport['entries'];
    expect(verifyExport(e)).toMatchObject({ ok: false, position: 1 });
    const f = clone(build(6));
    const entries = [...f.entries];
    const [a, b] = [entries[1], entries[2]] as [LogExport['entries'][number], LogExport['entries'][number]];
    entries[1] = { treeHead: a.treeHead, record: { ...b.record, seq: 1 } };
    entries[2] = { treeHead: b.treeHead, record: { ...a.record, seq: 2 } };
    f.entries = entries;
    expect(verifyExport(f)).toMatchObject({ ok: false, position: 1 });
  });

  it('detects an inserted record', () => {
    const e = clone(build(4));
    e.entries = [
      ...e.entries.slice(0, 2),
      { record: { ...record(2), id: 'forged' }, treeHead: e.entries[2]?.treeHead },
      ...e.entries.slice(2),
    ] as LogExport['entries'];
    expect(verifyExport(e)).toMatchObject({ ok: false, position: 2 });
  });

  it('detects records removed from the end, and a head signed by another key', () => {
    const e = clone(build(5));
    e.entries = e.entries.slice(0, 4);
    expect(verifyExport(e)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('covers 5 records'),
    });
    const other = generateKeyPairSync('ed25519').privateKey;
    const f = clone(build(3));
    f.treeHead = signTreeHead({ treeSize: 3, rootHash: f.treeHead.rootHash, timestamp: 'x' }, other);
    expect(verifyExport(f)).toMatchObject({ ok: false, problem: expect.stringContaining('bad signature') });
    const g = clone(build(3));
    g.treeHead = { ...g.treeHead, signature: Buffer.alloc(64).toString('base64') };
    expect(verifyExport(g)).toMatchObject({ ok: false });
  });
});
