import { csvField, recordsAtom, recordsCsv } from './open-data';
import type { DisclosureRecord } from './record';

const record = (title: string, justification: string | null = null): DisclosureRecord => ({
  seq: 0,
  id: '00000000-0000-4000-8000-000000000000',
  publishedAt: '2026-11-30T00:00:00.000Z',
  project: { code: 'P-1', title: 'Bridge' },
  report: {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'design_change',
    title,
    publicSummary: null,
    revision: 1,
    status: 'approved',
    amount: { value: -5_000, currency: 'KRW' },
    body: {},
  },
  step: {
    key: 'review',
    name: 'Review',
    outcome: 'approved',
    openedAt: '2026-11-29T00:00:00.000Z',
    decidedAt: '2026-11-30T00:00:00.000Z',
    dueAt: '2026-12-01T00:00:00.000Z',
    slaSeconds: 172_800,
    takenSeconds: 86_400,
    onTime: true,
  },
  actor: { organization: 'Seoul', organizationKind: 'agency', role: 'agency_head', name: null },
  onBehalf: justification ? { justification } : null,
  escalations: [],
});

describe('CSV: safe in a spreadsheet', () => {
  it.each(['=HYPERLINK("http://evil.example","x")', '+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx'])(
    'neutralizes a cell that starts like a formula: %j',
    (text) => {
      const cell = csvField(text);
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
    },
  );

  it('keeps numbers numbers, negative amounts included', () => {
    expect(csvField(-5_000)).toBe('-5000');
    expect(recordsCsv([record('ok')])).toContain(',-5000,KRW,');
  });

  it('starts with a UTF-8 byte order mark so Hangul and Arabic open as such', () => {
    const csv = recordsCsv([record('교량 보강'), record('=cmd|"/c calc"!A1', '@evil')]);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(csv).toContain(`'@evil`);
  });
});

describe('Atom: always well-formed XML', () => {
  it('replaces characters XML 1.0 forbids, whatever an older record holds', () => {
    const atom = recordsAtom(
      [record('bell\u0007 nul\u0000 \ufffe \ud800 <&>', 'just\u001bification')],
      'https://openccs.example',
      '2026-11-30T00:00:00.000Z',
    );
    expect(atom).not.toMatch(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])/,
    );
    expect(atom).toContain('&lt;&amp;&gt;');
    expect(atom).toContain('https://openccs.example/public/v1/feed.atom');
  });
});
