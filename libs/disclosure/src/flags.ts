/**
 * Red flags: integrity indicators computed from the public log alone — never accusations. Each
 * names its code, the facts, the formula, the threshold and where the threshold comes from (the
 * deployment profile), and the records it rests on, so anyone holding the export can recompute it.
 * A flag is evaluated after every record that bears on it; one that held and no longer holds (a
 * later decrease, a later raise of the contract value, a rate that recovered) is kept and says
 * `outweighed` with the record that outweighed it, rather than vanishing.
 */
import { addMoney, sheetOf, type AgencyFigures, type Money, type ProjectFacts } from './figures';
import type { StepRecord } from './record';

/** The thresholds a profile sets (the `integrity` part of the public profile). */
export interface FlagThresholds {
  readonly contractChange: readonly { readonly share: number; readonly source: string }[];
  readonly repeatedIncreases: { readonly count: number; readonly source: string };
  readonly onBehalfRate: RateThreshold;
  readonly lateRate: RateThreshold;
  readonly officialConcentration: RateThreshold;
  readonly unansweredFeedback: RateThreshold;
}

interface RateThreshold {
  readonly share: number;
  readonly minimum: number;
  readonly source: string;
}

export const FLAG_CODES = [
  'CHANGE_SHARE',
  'REPEATED_INCREASES',
  'PAID_OVER_VALUE',
  'ON_BEHALF_RATE',
  'LATE_RATE',
  'LATE_STEP',
  'OFFICIAL_CONCENTRATION',
  'UNANSWERED_FEEDBACK',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/**
 * The Open Contracting Partnership's red-flag codes (as numbered in its Red Flags to OCDS mapping,
 * the list its Cardinal library implements) each flag matches, where one fits: docs/red-flags.md.
 */
export const OCP_CODES: Record<FlagCode, readonly string[]> = {
  CHANGE_SHARE: ['R069'],
  REPEATED_INCREASES: ['R064', 'R069'],
  PAID_OVER_VALUE: ['R068'],
  ON_BEHALF_RATE: [],
  LATE_RATE: [],
  LATE_STEP: [],
  OFFICIAL_CONCENTRATION: [],
  UNANSWERED_FEEDBACK: [],
};

export const FLAG_TITLES: Record<FlagCode, string> = {
  CHANGE_SHARE: 'Approved contract changes add up to more than a share of the contract value',
  REPEATED_INCREASES: 'Repeated amount-raising changes to one contract',
  PAID_OVER_VALUE: 'Approved payments above the current contract value',
  ON_BEHALF_RATE: 'Many steps of an agency decided on behalf after escalation',
  LATE_RATE: 'Many steps of an agency decided after their deadline',
  LATE_STEP: 'One step of an agency often decided after its deadline',
  OFFICIAL_CONCENTRATION: 'One official decides most contract changes of one contractor',
  UNANSWERED_FEEDBACK: 'Citizens’ feedback to an agency’s projects often left unanswered past its deadline',
};

export const FLAG_FORMULAS: Record<FlagCode, string> = {
  CHANGE_SHARE:
    '(sum of approved contract changes) / (contract value of the project sheet in force) > threshold',
  REPEATED_INCREASES: 'number of approved contract changes with a positive amount >= threshold',
  PAID_OVER_VALUE:
    'sum of approved payments > contract value of the sheet in force + approved contract changes',
  ON_BEHALF_RATE:
    '(steps of the agency’s projects decided on behalf) / (steps decided) > threshold, once steps decided >= minimum',
  LATE_RATE:
    '(steps of the agency’s projects decided after their deadline) / (steps decided) > threshold, once steps decided >= minimum',
  LATE_STEP:
    '(decisions of this step, for this report kind, in the agency’s projects, after their deadline) / (decisions of it) > threshold, once decisions >= minimum',
  OFFICIAL_CONCENTRATION:
    '(the contractor’s approved contract changes whose approving decision one named official took) / (its approved contract changes) > threshold, once changes >= minimum',
  UNANSWERED_FEEDBACK:
    '(feedback rounds on the agency’s projects whose deadline passed unanswered) / (feedback rounds with a record) > threshold, once rounds >= minimum',
};

export interface FlagSubject {
  readonly project?: string;
  readonly agency?: { readonly id: string; readonly name: string };
  readonly contractor?: { readonly id: string; readonly name: string };
  readonly official?: string;
  readonly reportKind?: string;
  readonly stepKey?: string;
}

export interface RedFlag {
  /** Stable: the same flag keeps its id as the log grows. */
  readonly id: string;
  readonly code: FlagCode;
  readonly ocp: readonly string[];
  readonly title: string;
  readonly subject: FlagSubject;
  readonly status: 'raised' | 'outweighed';
  /** The record after which it last came to hold. */
  readonly raised: { readonly seq: number; readonly at: string };
  /** The record after which it stopped holding; null while it holds. */
  readonly outweighed: { readonly seq: number; readonly at: string } | null;
  readonly facts: Readonly<Record<string, number | string | null>>;
  readonly formula: string;
  readonly threshold: { readonly value: number; readonly minimum?: number; readonly source: string };
  /** The records it rests on, as it last held, and the one that outweighed it. */
  readonly records: readonly number[];
}

/** One evaluation of a flag after one record. */
interface Check {
  readonly seq: number;
  readonly at: string;
  readonly holds: boolean;
  readonly facts: Readonly<Record<string, number | string | null>>;
  readonly records: readonly number[];
}

type FlagHead = Omit<
  RedFlag,
  'status' | 'raised' | 'outweighed' | 'facts' | 'records' | 'ocp' | 'title' | 'formula'
>;

/** The flag that `checks` (in log order) describe, or null when it never held. */
function tracked(head: FlagHead, checks: readonly Check[]): RedFlag | null {
  let raised: Check | null = null;
  let lastHeld: Check | null = null;
  let outweighed: Check | null = null;
  for (const check of checks) {
    if (check.holds) {
      if (!lastHeld || outweighed) raised = check;
      lastHeld = check;
      outweighed = null;
    } else if (lastHeld && !outweighed) outweighed = check;
  }
  if (!raised || !lastHeld) return null;
  const status = outweighed ? 'outweighed' : 'raised';
  return {
    ...head,
    ocp: OCP_CODES[head.code],
    title: FLAG_TITLES[head.code],
    formula: FLAG_FORMULAS[head.code],
    status,
    raised: { seq: raised.seq, at: raised.at },
    outweighed: outweighed ? { seq: outweighed.seq, at: outweighed.at } : null,
    facts: outweighed ? { ...outweighed.facts } : lastHeld.facts,
    records: outweighed ? [...new Set([...lastHeld.records, outweighed.seq])] : lastHeld.records,
  };
}

const percent = (share: number) => `${Math.round(share * 10000) / 100}`;
const ratio = (a: number, b: number) => Math.round((a / b) * 1e6) / 1e6;

/** Every flag the log raises, project flags first (by project), then agency and contractor flags. */
export function redFlags(
  projects: ReadonlyMap<string, ProjectFacts>,
  agencies: readonly AgencyFigures[],
  thresholds: FlagThresholds,
): RedFlag[] {
  const flags: RedFlag[] = [];
  const push = (flag: RedFlag | null) => {
    if (flag) flags.push(flag);
  };
  for (const facts of [...projects.values()].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    for (const t of thresholds.contractChange) push(changeShare(facts, t));
    push(repeatedIncreases(facts, thresholds.repeatedIncreases));
    push(paidOverValue(facts));
  }
  for (const agency of agencies) {
    const steps = agencySteps(projects, agency);
    const subject = { agency: { id: agency.id, name: agency.name } };
    const late = (r: StepRecord) => !r.step.onTime;
    push(
      rate(
        'ON_BEHALF_RATE',
        `ON_BEHALF_RATE:${agency.id}`,
        subject,
        steps,
        (r) => r.onBehalf !== null,
        thresholds.onBehalfRate,
      ),
    );
    push(rate('LATE_RATE', `LATE_RATE:${agency.id}`, subject, steps, late, thresholds.lateRate));
    for (const group of agency.byStep) {
      const members = new Set(group.records);
      push(
        rate(
          'LATE_STEP',
          `LATE_STEP:${agency.id}:${group.reportKind}:${group.stepKey}`,
          { ...subject, reportKind: group.reportKind, stepKey: group.stepKey },
          steps.filter((r) => members.has(r.seq)),
          late,
          thresholds.lateRate,
        ),
      );
    }
  }
  flags.push(...officialConcentration(projects, thresholds.officialConcentration));
  for (const agency of agencies) push(unansweredFeedback(projects, agency, thresholds.unansweredFeedback));
  return flags;
}

/**
 * Approved changes add up past a share of the contract value, evaluated after every record that
 * moves either: a change, or a sheet that sets a new contract value (raising the base outweighs
 * the flag; the flag is never back-dated before the record that raised it).
 */
function changeShare(facts: ProjectFacts, t: { share: number; source: string }): RedFlag | null {
  const checks = facts.valueEvents
    .filter((e) => e.kind !== 'payment' && e.base !== null && e.base.value > 0)
    .map((e): Check => {
      const base = e.base as Money;
      return {
        seq: e.seq,
        at: e.at,
        holds: e.changed / base.value > t.share,
        facts: {
          originalValue: base.value,
          cumulativeChange: e.changed,
          currentValue: addMoney(base.value, e.changed),
          currency: base.currency,
          share: ratio(e.changed, base.value),
          changes: e.changeSeqs.length,
        },
        records: [e.baseSeq as number, ...e.changeSeqs],
      };
    });
  return tracked(
    {
      id: `CHANGE_SHARE:${percent(t.share)}:${facts.code}`,
      code: 'CHANGE_SHARE',
      subject: { project: facts.code },
      threshold: { value: t.share, source: t.source },
    },
    checks,
  );
}

function repeatedIncreases(facts: ProjectFacts, t: { count: number; source: string }): RedFlag | null {
  const increases = facts.changes.filter((c) => c.amount !== null && c.amount.value > 0);
  const checks = increases.map((c, i): Check => ({
    seq: c.seq,
    at: facts.valueEvents.find((e) => e.seq === c.seq)?.at ?? c.date,
    holds: i + 1 >= t.count,
    facts: { increases: i + 1, changes: facts.changes.filter((x) => x.seq <= c.seq).length },
    records: increases.slice(0, i + 1).map((x) => x.seq),
  }));
  return tracked(
    {
      id: `REPEATED_INCREASES:${facts.code}`,
      code: 'REPEATED_INCREASES',
      subject: { project: facts.code },
      threshold: { value: t.count, source: t.source },
    },
    checks,
  );
}

/** Approved payments above the contract value as it stood, after every record that moves either. */
function paidOverValue(facts: ProjectFacts): RedFlag | null {
  const checks = facts.valueEvents
    .filter((e) => e.base !== null)
    .map((e): Check => {
      const base = e.base as Money;
      const value = addMoney(base.value, e.changed);
      return {
        seq: e.seq,
        at: e.at,
        holds: e.paid > value,
        facts: { paid: e.paid, currentValue: value, currency: base.currency, over: addMoney(e.paid, -value) },
        records: [e.baseSeq as number, ...[...e.changeSeqs, ...e.paymentSeqs].sort((a, b) => a - b)],
      };
    });
  return tracked(
    {
      id: `PAID_OVER_VALUE:${facts.code}`,
      code: 'PAID_OVER_VALUE',
      subject: { project: facts.code },
      threshold: {
        value: 1,
        source: 'A contract cannot pay more than its value: payments are compared with the value itself.',
      },
    },
    checks,
  );
}

/** The step records of the agency's projects, in log order. */
function agencySteps(projects: ReadonlyMap<string, ProjectFacts>, agency: AgencyFigures): StepRecord[] {
  return agency.projects.flatMap((code) => projects.get(code)?.steps ?? []).sort((a, b) => a.seq - b.seq);
}

function rate(
  code: FlagCode,
  id: string,
  subject: FlagSubject,
  steps: readonly StepRecord[],
  counts: (r: StepRecord) => boolean,
  t: RateThreshold,
): RedFlag | null {
  let hits = 0;
  const hitSeqs: number[] = [];
  const checks = steps.map((r, i): Check => {
    if (counts(r)) {
      hits += 1;
      hitSeqs.push(r.seq);
    }
    const of = i + 1;
    return {
      seq: r.seq,
      at: r.publishedAt,
      holds: of >= t.minimum && hits / of > t.share,
      facts: { count: hits, of, rate: ratio(hits, of) },
      records: [...hitSeqs],
    };
  });
  return tracked(
    { id, code, subject, threshold: { value: t.share, minimum: t.minimum, source: t.source } },
    checks,
  );
}

/**
 * Per contractor (a party with the contractor role on the project's sheet in force), who took the
 * approving decision of each of its approved contract changes — only where records name officials.
 */
function officialConcentration(projects: ReadonlyMap<string, ProjectFacts>, t: RateThreshold): RedFlag[] {
  const byContractor = new Map<string, { name: string; changes: StepRecord[] }>();
  for (const facts of projects.values()) {
    const sheet = sheetOf(facts);
    if (!sheet) continue;
    const changeSeqs = new Set(facts.changes.map((c) => c.seq));
    const approving = facts.steps.filter((r) => changeSeqs.has(r.seq));
    for (const party of sheet.sheet.parties.filter((p) => p.role === 'contractor')) {
      const entry = byContractor.get(party.id) ?? { name: party.name, changes: [] };
      entry.changes.push(...approving);
      byContractor.set(party.id, entry);
    }
  }
  const flags: RedFlag[] = [];
  for (const [id, { name, changes }] of [...byContractor].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sorted = [...new Map(changes.map((r) => [r.seq, r])).values()].sort((a, b) => a.seq - b.seq);
    const officials = [
      ...new Set(sorted.map((r) => r.actor.name).filter((n): n is string => n !== null)),
    ].sort();
    for (const official of officials) {
      const flag = rate(
        'OFFICIAL_CONCENTRATION',
        `OFFICIAL_CONCENTRATION:${id}:${official}`,
        { contractor: { id, name }, official },
        sorted,
        (r) => r.actor.name === official,
        t,
      );
      if (flag) flags.push(flag);
    }
  }
  return flags;
}

/** An agency's projects leave citizens' feedback unanswered past its deadline, evaluated after each feedback record. */
function unansweredFeedback(
  projects: ReadonlyMap<string, ProjectFacts>,
  agency: AgencyFigures,
  t: RateThreshold,
): RedFlag | null {
  const records = agency.projects
    .flatMap((code) => projects.get(code)?.feedback ?? [])
    .sort((a, b) => a.seq - b.seq);
  const rounds = new Set<string>();
  const overdue: number[] = [];
  const checks = records.map((r): Check => {
    rounds.add(`${r.feedback.id}:${r.feedback.round}`);
    if (r.feedback.event === 'overdue') overdue.push(r.seq);
    return {
      seq: r.seq,
      at: r.publishedAt,
      holds: rounds.size >= t.minimum && overdue.length / rounds.size > t.share,
      facts: { count: overdue.length, of: rounds.size, rate: ratio(overdue.length, rounds.size) },
      records: [...overdue],
    };
  });
  return tracked(
    {
      id: `UNANSWERED_FEEDBACK:${agency.id}`,
      code: 'UNANSWERED_FEEDBACK',
      subject: { agency: { id: agency.id, name: agency.name } },
      threshold: { value: t.share, minimum: t.minimum, source: t.source },
    },
    checks,
  );
}
