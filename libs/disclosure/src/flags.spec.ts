import { agencyFigures, overviewFigures, percentile, projectFacts } from './figures';
import { redFlags, type FlagThresholds } from './flags';
import type { DisclosureRecord, ProjectRecord, StepRecord } from './record';

const THRESHOLDS: FlagThresholds = {
  contractChange: [
    { share: 0.1, source: 'ten' },
    { share: 0.5, source: 'fifty' },
  ],
  repeatedIncreases: { count: 3, source: 'three' },
  onBehalfRate: { share: 0.25, minimum: 4, source: 'quarter' },
  lateRate: { share: 0.3, minimum: 4, source: 'thirty' },
  officialConcentration: { share: 0.75, minimum: 4, source: 'most' },
  unansweredFeedback: { share: 0.2, minimum: 5, source: 'fifth' },
};

/** A log under construction: each record takes the next position. */
function log() {
  const records: DisclosureRecord[] = [];
  const at = (seq: number) => new Date(Date.UTC(2026, 0, 1) + seq * 3_600_000).toISOString();
  return {
    records,
    sheet(value: number | null, agency = 'a1', contractor = 'c1', code = 'P-1') {
      const record: ProjectRecord = {
        type: 'project',
        seq: records.length,
        id: `r${records.length}`,
        publishedAt: at(records.length),
        project: { code, title: code },
        version: records.filter((r) => 'sheet' in r && r.project.code === code).length + 1,
        sheet: {
          agency: { id: agency, name: `Agency ${agency}` },
          description: null,
          location: null,
          contractValue: value === null ? null : { value, currency: 'KRW' },
          startDate: '2026-01-01',
          endDate: '2026-12-31',
          status: 'in_progress',
          parties: [
            { id: contractor, name: `Builder ${contractor}`, kind: 'contractor', role: 'contractor' },
          ],
        },
      };
      records.push(record);
      return record.seq;
    },
    step(
      options: {
        code?: string;
        amount?: 'contract_change' | 'payment' | 'none';
        value?: number;
        approved?: boolean;
        late?: boolean;
        onBehalf?: boolean;
        official?: string | null;
        progress?: number;
        stepKey?: string;
      } = {},
    ) {
      const seq = records.length;
      const record: StepRecord = {
        seq,
        id: `r${seq}`,
        publishedAt: at(seq),
        project: { code: options.code ?? 'P-1', title: options.code ?? 'P-1' },
        report: {
          id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
          kind: options.amount === 'payment' ? 'progress_payment' : 'design_change',
          title: `Report ${seq}`,
          publicSummary: `Why ${seq}`,
          revision: 1,
          status: options.approved === false ? 'in_review' : 'approved',
          amount: options.value === undefined ? null : { value: options.value, currency: 'KRW' },
          body: {},
          meaning: {
            amount: options.amount ?? 'contract_change',
            progress: options.progress === undefined ? null : { physical: options.progress, financial: null },
            completion: false,
          },
        },
        step: {
          key: options.stepKey ?? 'head',
          name: 'Head decision',
          outcome: 'approved',
          openedAt: at(seq - 1),
          decidedAt: at(seq),
          dueAt: at(seq),
          slaSeconds: 3600,
          takenSeconds: 3600 * (options.late ? 2 : 1),
          onTime: !options.late,
        },
        actor: {
          organization: 'Agency a1',
          organizationKind: 'agency',
          role: 'agency_head',
          name: options.official ?? null,
        },
        onBehalf: options.onBehalf ? { justification: 'away' } : null,
        escalations: [],
      };
      records.push(record);
      return seq;
    },
  };
}

const flagsOf = (records: DisclosureRecord[]) => {
  const projects = projectFacts(records);
  return redFlags(projects, agencyFigures(projects), THRESHOLDS);
};

describe('red flags', () => {
  it('raises the cumulative change share past 10 % (8 % then 7 %), citing the sheet and both changes', () => {
    const l = log();
    const sheet = l.sheet(1_000_000);
    const first = l.step({ value: 80_000 });
    expect(flagsOf(l.records).filter((f) => f.code === 'CHANGE_SHARE')).toEqual([]);
    const second = l.step({ value: 70_000 });
    const [flag] = flagsOf(l.records).filter((f) => f.code === 'CHANGE_SHARE');
    expect(flag).toMatchObject({
      id: 'CHANGE_SHARE:10:P-1',
      status: 'raised',
      raised: { seq: second },
      facts: { share: 0.15, cumulativeChange: 150_000, originalValue: 1_000_000 },
      records: [sheet, first, second],
    });
  });

  it('says a flag was outweighed by a later decrease, and raises it again if the changes climb back', () => {
    const l = log();
    l.sheet(1_000);
    l.step({ value: 200 });
    const decrease = l.step({ value: -150 });
    expect(flagsOf(l.records).find((f) => f.id === 'CHANGE_SHARE:10:P-1')).toMatchObject({
      status: 'outweighed',
      outweighed: { seq: decrease },
      facts: { share: 0.05 },
    });
    const again = l.step({ value: 100 });
    expect(flagsOf(l.records).find((f) => f.id === 'CHANGE_SHARE:10:P-1')).toMatchObject({
      status: 'raised',
      raised: { seq: again },
      outweighed: null,
    });
  });

  it('is outweighed, not erased, by a sheet that raises the contract value, and never back-dated', () => {
    const l = log();
    l.sheet(1_000);
    const change = l.step({ value: 150 });
    const raise = l.sheet(2_000);
    expect(flagsOf(l.records).find((f) => f.id === 'CHANGE_SHARE:10:P-1')).toMatchObject({
      status: 'outweighed',
      raised: { seq: change },
      outweighed: { seq: raise },
    });
    const lower = l.sheet(500);
    expect(flagsOf(l.records).find((f) => f.id === 'CHANGE_SHARE:10:P-1')).toMatchObject({
      status: 'raised',
      raised: { seq: lower },
      records: [lower, change],
    });
    // The change keeps the values it had when it was approved.
    expect(projectFacts(l.records).get('P-1')?.changes[0]).toMatchObject({
      oldValue: { value: 1_000 },
      newValue: { value: 1_150 },
    });
    // A value given after the changes raises the flag at that sheet, not before it.
    const m = log();
    m.sheet(null);
    const early = m.step({ value: 300 });
    const valued = m.sheet(1_000);
    expect(flagsOf(m.records).find((f) => f.id === 'CHANGE_SHARE:10:P-1')).toMatchObject({
      raised: { seq: valued },
      records: [valued, early],
    });
  });

  it('counts only approved changes, and not without a contract value', () => {
    const l = log();
    l.sheet(null);
    l.step({ value: 1_000 });
    expect(flagsOf(l.records).filter((f) => f.code === 'CHANGE_SHARE')).toEqual([]);
    const m = log();
    m.sheet(1_000);
    m.step({ value: 500, approved: false });
    expect(flagsOf(m.records)).toEqual([]);
  });

  it('flags three amount-raising changes, never outweighed by a decrease', () => {
    const l = log();
    l.sheet(1_000_000);
    const seqs = [l.step({ value: 1 }), l.step({ value: 1 }), l.step({ value: -5 }), l.step({ value: 1 })];
    const flag = flagsOf(l.records).find((f) => f.code === 'REPEATED_INCREASES');
    expect(flag).toMatchObject({
      status: 'raised',
      raised: { seq: seqs[3] },
      facts: { increases: 3, changes: 4 },
    });
    expect(flag?.ocp).toEqual(['R064', 'R069']);
  });

  it('flags payments above the current value, outweighed when a change raises the value', () => {
    const l = log();
    l.sheet(1_000);
    l.step({ amount: 'payment', value: 600 });
    const over = l.step({ amount: 'payment', value: 500 });
    expect(flagsOf(l.records).find((f) => f.code === 'PAID_OVER_VALUE')).toMatchObject({
      status: 'raised',
      raised: { seq: over },
      facts: { paid: 1_100, currentValue: 1_000, over: 100 },
      ocp: ['R068'],
    });
    const raise = l.step({ value: 200 });
    expect(flagsOf(l.records).find((f) => f.code === 'PAID_OVER_VALUE')).toMatchObject({
      status: 'outweighed',
      outweighed: { seq: raise },
    });
  });

  it('flags rates only over their minimum: on behalf, late overall and late per step', () => {
    const l = log();
    l.sheet(1_000);
    l.step({ amount: 'none', onBehalf: true, late: true });
    l.step({ amount: 'none', onBehalf: true, late: true });
    l.step({ amount: 'none' });
    expect(flagsOf(l.records)).toEqual([]); // 3 steps: under the minimum of 4
    l.step({ amount: 'none' });
    const codes = flagsOf(l.records).map((f) => f.id);
    expect(codes).toEqual(['ON_BEHALF_RATE:a1', 'LATE_RATE:a1', 'LATE_STEP:a1:design_change:head']);
    const late = flagsOf(l.records).find((f) => f.code === 'LATE_RATE');
    expect(late?.facts).toEqual({ count: 2, of: 4, rate: 0.5 });
    expect(late?.threshold).toEqual({ value: 0.3, minimum: 4, source: 'thirty' });
  });

  it('flags one named official deciding most changes of one contractor, and never without names', () => {
    const l = log();
    l.sheet(1_000_000);
    for (let i = 0; i < 4; i++) l.step({ value: 1, official: 'Kim' });
    expect(flagsOf(l.records).find((f) => f.code === 'OFFICIAL_CONCENTRATION')).toMatchObject({
      id: 'OFFICIAL_CONCENTRATION:c1:Kim',
      subject: { contractor: { id: 'c1', name: 'Builder c1' }, official: 'Kim' },
      facts: { count: 4, of: 4, rate: 1 },
    });
    const anonymous = log();
    anonymous.sheet(1_000_000);
    for (let i = 0; i < 4; i++) anonymous.step({ value: 1 });
    expect(flagsOf(anonymous.records).find((f) => f.code === 'OFFICIAL_CONCENTRATION')).toBeUndefined();
  });
});

describe('figures', () => {
  it('takes nearest-rank percentiles: observed values only', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });

  it('gives each change its old and new contract value, and the overview its totals', () => {
    const l = log();
    l.sheet(1_000);
    l.step({ value: 100 });
    l.step({ value: -50 });
    l.step({ amount: 'payment', value: 0.1 });
    l.step({ amount: 'payment', value: 0.2 });
    l.step({ amount: 'none', progress: 40 });
    const facts = projectFacts(l.records).get('P-1');
    expect(facts?.changes.map((c) => [c.oldValue?.value, c.newValue?.value])).toEqual([
      [1_000, 1_100],
      [1_100, 1_050],
    ]);
    const overview = overviewFigures(facts as NonNullable<typeof facts>);
    expect(overview.approvedPayments).toEqual({ count: 2, totals: [{ value: 0.3, currency: 'KRW' }] });
    expect(overview.latestProgress?.percent).toBe(40);
    expect(overview.contract.currentValue).toEqual({ value: 1_050, currency: 'KRW' });
  });

  it('puts each project’s steps under the agency of its sheet in force', () => {
    const l = log();
    l.sheet(1, 'a1');
    l.step({ amount: 'none' });
    l.sheet(1, 'a2');
    l.step({ amount: 'none', late: true });
    const agencies = agencyFigures(projectFacts(l.records));
    expect(agencies.map((a) => [a.id, a.steps.count, a.onTime.rate])).toEqual([['a2', 2, 0.5]]);
  });
});
