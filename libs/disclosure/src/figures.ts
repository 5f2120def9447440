/**
 * What the public log says about each project and each agency, computed from the records alone:
 * the contract value and its changes, payments, progress, completion, and how each agency's steps
 * were decided. The API, the portal, the OC4IDS export, the red flags and the verifier all call
 * these functions, so a figure anyone recomputes from the export is the figure the site shows.
 */
import { periodChangeDaysOf } from '@openccs/domain';
import { approvedReport, meaningOf } from './meaning';
import {
  isDocumentRecord,
  isFeedbackRecord,
  isProjectRecord,
  isProjectScoped,
  isStepRecord,
  type DisclosureRecord,
  type DocumentRecord,
  type FeedbackRecord,
  type ProjectRecord,
  type StepRecord,
} from './record';

export interface Money {
  readonly value: number;
  readonly currency: string;
}

/** An approved change to the contract: its value, its period, or (neither) its scope. */
export interface ContractChange {
  readonly seq: number;
  readonly reportId: string;
  readonly title: string;
  /** The report's public summary: why the contract changed. */
  readonly rationale: string | null;
  readonly date: string;
  readonly amount: Money | null;
  /**
   * The contract value before and after, as it stood then (the sheet in force and the changes
   * before), when the amount is in the contract's currency.
   */
  readonly oldValue: Money | null;
  readonly newValue: Money | null;
  /** Days added to (or taken from) the contract period, when the report states them. */
  readonly periodChangeDays: number | null;
  /** The contract's end date before and after, as it stood then, when both are known. */
  readonly oldEndDate: string | null;
  readonly newEndDate: string | null;
}

export interface Payment {
  readonly seq: number;
  readonly reportId: string;
  readonly title: string;
  readonly date: string;
  readonly amount: Money;
}

export interface ProgressPoint {
  readonly seq: number;
  readonly date: string;
  readonly physical: number | null;
  readonly financial: number | null;
}

/**
 * The contract's money after one record that moved it — a sheet that set a new contract value,
 * an approved change, an approved payment — in log order: what the money flags are evaluated on.
 */
export interface ValueEvent {
  readonly seq: number;
  readonly at: string;
  readonly kind: 'sheet' | 'change' | 'payment';
  /** The contract value of the sheet in force, and the sheet that set it. */
  readonly base: Money | null;
  readonly baseSeq: number | null;
  /** Approved changes and payments so far in the base's currency, and their records. */
  readonly changed: number;
  readonly changeSeqs: readonly number[];
  readonly increases: number;
  readonly paid: number;
  readonly paymentSeqs: readonly number[];
}

export interface ProjectFacts {
  readonly code: string;
  readonly title: string;
  /** The project's public sheets, oldest first; the last one is in force. */
  readonly sheets: readonly ProjectRecord[];
  /** The contract value of the sheet in force: what changes are measured against. */
  readonly originalValue: Money | null;
  /** The original value plus every approved change in its currency. */
  readonly currentValue: Money | null;
  readonly changes: readonly ContractChange[];
  readonly payments: readonly Payment[];
  /** The sum of approved payments in the contract's currency (or the first payment's). */
  readonly paid: Money | null;
  readonly progress: readonly ProgressPoint[];
  /** The approval of the completion inspection, once it happened. */
  readonly completion: { readonly seq: number; readonly date: string } | null;
  readonly steps: readonly StepRecord[];
  readonly documents: readonly DocumentRecord[];
  readonly valueEvents: readonly ValueEvent[];
  /** Citizens' feedback records: answered questions and deadlines passed unanswered. */
  readonly feedback: readonly FeedbackRecord[];
}

/** The sheet in force for a project: its last published one. */
export const sheetOf = (facts: Pick<ProjectFacts, 'sheets'>): ProjectRecord | undefined =>
  facts.sheets[facts.sheets.length - 1];

/** Each project's facts, by project code, from records in log order. */
export function projectFacts(records: readonly DisclosureRecord[]): Map<string, ProjectFacts> {
  const byCode = new Map<string, DisclosureRecord[]>();
  for (const r of records) {
    if (!isProjectScoped(r)) continue;
    const list = byCode.get(r.project.code) ?? [];
    list.push(r);
    byCode.set(r.project.code, list);
  }
  return new Map([...byCode].map(([code, list]) => [code, factsOfProject(code, list)]));
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * One project's facts, from its records in log order. Each change is measured against the
 * contract as it stood when it was approved (the sheet then in force, the changes before it), so
 * a later edit of the sheet never rewrites history; the current value is the sheet in force plus
 * every approved change in its currency.
 */
export function factsOfProject(code: string, records: readonly DisclosureRecord[]): ProjectFacts {
  const sheets = records.filter(isProjectRecord);
  const steps = records.filter(isStepRecord);
  const approvedOnce = new Set(onePerReport(steps.filter(approvedReport)).map((r) => r.seq));
  const changes: ContractChange[] = [];
  const payments: Payment[] = [];
  const progress: ProgressPoint[] = [];
  const valueEvents: ValueEvent[] = [];
  let completion: ProjectFacts['completion'] = null;
  let base: Money | null = null;
  let baseSeq: number | null = null;
  let endDate: string | null = null;
  let periodDays = 0;
  const counted = () => {
    const inBase = changes.filter((c) => base !== null && c.amount?.currency === base.currency);
    const paidIn = payments.filter((p) => base !== null && p.amount.currency === base.currency);
    return {
      changed: inBase.reduce((sum, c) => addMoney(sum, c.amount?.value ?? 0), 0),
      changeSeqs: inBase.map((c) => c.seq),
      increases: inBase.filter((c) => (c.amount?.value ?? 0) > 0).length,
      paid: paidIn.reduce((sum, p) => addMoney(sum, p.amount.value), 0),
      paymentSeqs: paidIn.map((p) => p.seq),
    };
  };
  const event = (r: DisclosureRecord, kind: ValueEvent['kind']) =>
    valueEvents.push({ seq: r.seq, at: r.publishedAt, kind, base, baseSeq, ...counted() });
  for (const r of records) {
    if (isProjectRecord(r)) {
      const value = r.sheet.contractValue;
      endDate = r.sheet.endDate;
      const was = base as Money | null;
      if (value?.value !== was?.value || value?.currency !== was?.currency) {
        base = value;
        baseSeq = value ? r.seq : null;
        event(r, 'sheet');
      }
      continue;
    }
    if (!isStepRecord(r) || !approvedOnce.has(r.seq)) continue;
    const meaning = meaningOf(r);
    if (meaning.amount === 'contract_change') {
      const amount = r.report.amount;
      const before =
        base && amount?.currency === base.currency ? addMoney(base.value, counted().changed) : null;
      const days = periodChangeDaysOf(r.report.body);
      const oldEnd = endDate ? addDays(endDate, periodDays) : null;
      if (days !== null) periodDays += days;
      changes.push({
        seq: r.seq,
        reportId: r.report.id,
        title: r.report.title,
        rationale: r.report.publicSummary,
        date: r.step.decidedAt,
        amount,
        oldValue: before !== null && base ? { value: before, currency: base.currency } : null,
        newValue:
          before !== null && base && amount
            ? { value: addMoney(before, amount.value), currency: base.currency }
            : null,
        periodChangeDays: days,
        oldEndDate: days !== null ? oldEnd : null,
        newEndDate: days !== null && oldEnd ? addDays(oldEnd, days) : null,
      });
      event(r, 'change');
    }
    if (meaning.amount === 'payment' && r.report.amount) {
      payments.push({
        seq: r.seq,
        reportId: r.report.id,
        title: r.report.title,
        date: r.step.decidedAt,
        amount: r.report.amount,
      });
      event(r, 'payment');
    }
    if (meaning.progress && (meaning.progress.physical !== null || meaning.progress.financial !== null))
      progress.push({
        seq: r.seq,
        date: r.step.decidedAt,
        physical: meaning.progress.physical,
        financial: meaning.progress.financial,
      });
    if (meaning.completion && completion === null) completion = { seq: r.seq, date: r.step.decidedAt };
  }
  const now = counted();
  const currency = base?.currency ?? payments[0]?.amount.currency;
  const inCurrency = payments.filter((p) => p.amount.currency === currency);
  return {
    code,
    title: records.filter(isProjectScoped).at(-1)?.project.title ?? code,
    sheets,
    originalValue: base,
    currentValue: base ? { value: addMoney(base.value, now.changed), currency: base.currency } : null,
    changes,
    payments,
    paid:
      currency === undefined
        ? null
        : { value: inCurrency.reduce((sum, p) => addMoney(sum, p.amount.value), 0), currency },
    progress,
    completion,
    steps,
    documents: records.filter(isDocumentRecord),
    valueEvents,
    feedback: records.filter(isFeedbackRecord),
  };
}

/**
 * Amounts are exact in their currency's minor unit (KRW 0, TND 3 decimals): sums are rounded to
 * six decimals so that 0.1 + 0.2 stays 0.3 in every recomputation.
 */
export function addMoney(a: number, b: number): number {
  return Math.round((a + b) * 1e6) / 1e6;
}

/** A report is approved once; a record stream holds its approving step once too, but be sure. */
function onePerReport(records: readonly StepRecord[]): StepRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => (seen.has(r.report.id) ? false : (seen.add(r.report.id), true)));
}

/** The nearest-rank percentile (`p` in 0..1) of `values`: an observed value, never interpolated. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

/** A count over a basis, with the records it is computed from (log positions). */
export interface Share {
  readonly count: number;
  readonly of: number;
  /** count / of, or null when there is nothing to count. */
  readonly rate: number | null;
  readonly records: readonly number[];
}

const share = (hits: readonly { seq: number }[], of: number): Share => ({
  count: hits.length,
  of,
  rate: of === 0 ? null : hits.length / of,
  records: hits.map((r) => r.seq),
});

export interface StepTimes {
  readonly reportKind: string;
  readonly stepKey: string;
  /** The step's name in its newest record. */
  readonly stepName: string;
  readonly count: number;
  readonly onTime: Share;
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
  readonly records: readonly number[];
}

export interface AgencyFigures {
  readonly id: string;
  readonly name: string;
  /** Codes of the projects it orders (per their sheets in force). */
  readonly projects: readonly string[];
  /** Every decided public step of its projects. */
  readonly steps: Share;
  readonly onTime: Share;
  readonly late: Share;
  readonly onBehalf: Share;
  /** Steps that were escalated (past their deadline, or left without assignees). */
  readonly escalated: Share;
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
  readonly byStep: readonly StepTimes[];
  /** Citizens' feedback on its projects: rounds answered (on time) and left unanswered past the deadline. */
  readonly feedback: FeedbackFigures;
}

export interface FeedbackFigures {
  /** Feedback rounds with a record: answered, or past their deadline unanswered (or both). */
  readonly rounds: number;
  readonly answered: Share;
  readonly answeredOnTime: Share;
  readonly overdue: Share;
  /** Rounds moderated as hidden or spam: counted, never shown. */
  readonly withheld: Share;
  readonly medianAnswerSeconds: number | null;
}

/** Feedback figures over feedback records (each round counted once). */
export function feedbackFigures(records: readonly FeedbackRecord[]): FeedbackFigures {
  const rounds = new Set(records.map((r) => `${r.feedback.id}:${r.feedback.round}`)).size;
  const answered = records.filter((r) => r.feedback.event === 'answered');
  return {
    rounds,
    answered: share(answered, rounds),
    answeredOnTime: share(
      answered.filter((r) => r.feedback.onTime),
      rounds,
    ),
    overdue: share(
      records.filter((r) => r.feedback.event === 'overdue'),
      rounds,
    ),
    withheld: share(
      records.filter((r) => r.feedback.event === 'withheld'),
      rounds,
    ),
    medianAnswerSeconds: percentile(
      answered.map((r) => r.feedback.takenSeconds ?? 0),
      0.5,
    ),
  };
}

/**
 * Each agency's figures over the steps of the projects it orders — an ordering agency answers for
 * its project's whole line, its supervisor's steps included — sorted by agency name.
 */
export function agencyFigures(projects: ReadonlyMap<string, ProjectFacts>): AgencyFigures[] {
  const agencies = new Map<
    string,
    { id: string; name: string; projects: string[]; steps: StepRecord[]; feedback: FeedbackRecord[] }
  >();
  for (const facts of projects.values()) {
    const sheet = sheetOf(facts);
    if (!sheet) continue;
    const { id, name } = sheet.sheet.agency;
    const agency = agencies.get(id) ?? { id, name, projects: [], steps: [], feedback: [] };
    agency.name = name;
    agency.projects.push(facts.code);
    agency.steps.push(...facts.steps);
    agency.feedback.push(...facts.feedback);
    agencies.set(id, agency);
  }
  return [...agencies.values()]
    .map((a) => {
      const steps = [...a.steps].sort((x, y) => x.seq - y.seq);
      return {
        id: a.id,
        name: a.name,
        projects: [...a.projects].sort(),
        ...timesOf(steps),
        byStep: byStep(steps),
        feedback: feedbackFigures([...a.feedback].sort((x, y) => x.seq - y.seq)),
      };
    })
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.id < y.id ? -1 : 1));
}

function timesOf(steps: readonly StepRecord[]) {
  const taken = steps.map((r) => r.step.takenSeconds);
  return {
    steps: share(steps, steps.length),
    onTime: share(
      steps.filter((r) => r.step.onTime),
      steps.length,
    ),
    late: share(
      steps.filter((r) => !r.step.onTime),
      steps.length,
    ),
    onBehalf: share(
      steps.filter((r) => r.onBehalf !== null),
      steps.length,
    ),
    escalated: share(
      steps.filter((r) => r.escalations.length > 0),
      steps.length,
    ),
    medianSeconds: percentile(taken, 0.5),
    p90Seconds: percentile(taken, 0.9),
  };
}

function byStep(steps: readonly StepRecord[]): StepTimes[] {
  const groups = new Map<string, StepRecord[]>();
  for (const r of steps) {
    const key = JSON.stringify([r.report.kind, r.step.key]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .map((list) => {
      const first = list[0] as StepRecord;
      const times = timesOf(list);
      return {
        reportKind: first.report.kind,
        stepKey: first.step.key,
        stepName: (list[list.length - 1] as StepRecord).step.name,
        count: list.length,
        onTime: times.onTime,
        medianSeconds: times.medianSeconds,
        p90Seconds: times.p90Seconds,
        records: list.map((r) => r.seq),
      };
    })
    .sort((x, y) =>
      x.reportKind === y.reportKind ? (x.stepKey < y.stepKey ? -1 : 1) : x.reportKind < y.reportKind ? -1 : 1,
    );
}

/**
 * A project overview's figures, as the public API serves them and the verifier recomputes them:
 * approved payments (totals per currency), contract changes, progress, the on-time rate.
 */
export function overviewFigures(facts: ProjectFacts) {
  const totals = new Map<string, number>();
  for (const p of facts.payments)
    totals.set(p.amount.currency, addMoney(totals.get(p.amount.currency) ?? 0, p.amount.value));
  const latest = [...facts.progress].reverse().find((p) => p.physical !== null);
  const onTime = facts.steps.filter((r) => r.step.onTime).length;
  return {
    approvedPayments: {
      count: facts.payments.length,
      totals: [...totals].map(([currency, value]) => ({ value, currency })),
    },
    designChanges: facts.changes.map((c) => ({
      reportId: c.reportId,
      title: c.title,
      amount: c.amount,
      approvedAt: c.date,
    })),
    latestProgress: latest ? { percent: latest.physical as number, reportedAt: latest.date } : null,
    onTimeRate: facts.steps.length === 0 ? null : onTime / facts.steps.length,
    contract: { originalValue: facts.originalValue, currentValue: facts.currentValue, paid: facts.paid },
    modifications: facts.changes,
    payments: facts.payments,
    progress: facts.progress,
    completion: facts.completion,
  };
}
