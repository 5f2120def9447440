/**
 * Report kinds as a deployment profile defines them (profiles/<name>/kinds/*.yaml), and the
 * rules that depend on a kind: whether it carries an amount and what that amount means, and
 * which of its body fields the public may see. A report keeps a snapshot of its kind from the
 * moment it was submitted, so changing a profile never changes a report in flight or a record
 * already published.
 */
import type { StepTemplate } from './approval-line';

/** What a kind's amount is: a change to the contract amount, a payment, or nothing. */
export const AMOUNT_MEANINGS = ['contract_change', 'payment', 'none'] as const;
export type AmountMeaning = (typeof AMOUNT_MEANINGS)[number];

/** What the public may see of a report of this kind beyond its title, summary and amount. */
export interface DisclosurePolicy {
  /** Top-level body fields that are published; nothing else of the body ever is. */
  readonly publicFields: readonly string[];
  /** Whether attachments marked public may be published with the record. */
  readonly attachments: boolean;
}

/** A JSON Schema (2020-12) object, as the profile wrote it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What a report keeps of its kind: everything needed to validate, publish and explain it. */
export interface KindSnapshot {
  readonly key: string;
  /** The kind's name in each of the profile's languages. */
  readonly names: Readonly<Record<string, string>>;
  readonly amount: AmountMeaning;
  /** Bodies carry `physicalProgress` and `financialProgress` (0–100): the project's progress. */
  readonly progress: boolean;
  /** Approving it completes the project (completion inspection, réception). */
  readonly completion: boolean;
  /**
   * The body field and values that mark a partial completion (a partial acceptance, a réception
   * provisoire partielle), which does not complete the project.
   */
  readonly partialCompletion?: { readonly field: string; readonly values: readonly string[] };
  /** JSON Schema (2020-12) of the body. */
  readonly body: JsonSchema;
  /** SHA-256 of the schema's canonical JSON: which version of the kind a report was judged by. */
  readonly schemaVersion: string;
  readonly disclosure: DisclosurePolicy;
}

/** A kind as the profile defines it: its snapshot plus the line new projects start with. */
export interface KindDefinition extends KindSnapshot {
  readonly line: readonly StepTemplate[];
}

export function snapshotOf(kind: KindDefinition): KindSnapshot {
  const { line: _line, ...snapshot } = kind;
  return snapshot;
}

export interface Money {
  readonly value: number;
  readonly currency: string;
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The amount rule: a kind without an amount has none; one with an amount needs it; a payment is
 * positive, a contract change is not zero (it may lower the amount); and no amount has more
 * decimals than its currency's minor unit (none for KRW, three for TND). Any ISO 4217 currency:
 * a contract financed abroad may be in euros in a dinar deployment (the profile's currency is
 * its default).
 */
export function amountProblem(
  kind: Pick<KindSnapshot, 'key' | 'amount'>,
  amount: Money | null | undefined,
): FieldProblem | null {
  if (kind.amount === 'none') {
    return amount ? { field: 'amount', message: `A ${kind.key} has no amount.` } : null;
  }
  if (!amount) return { field: 'amount', message: `A ${kind.key} needs an amount.` };
  if (kind.amount === 'payment' && amount.value <= 0)
    return { field: 'amount.value', message: 'A payment claim must be for a positive amount.' };
  if (kind.amount === 'contract_change' && amount.value === 0)
    return {
      field: 'amount.value',
      message: 'A contract change of 0 changes nothing; give the change to the contract amount.',
    };
  const digits = minorUnits(amount.currency);
  if (digits !== undefined && !hasAtMostDecimals(amount.value, digits))
    return {
      field: 'amount.value',
      message:
        digits === 0
          ? `An amount in ${amount.currency} has no decimals.`
          : `An amount in ${amount.currency} has at most ${digits} decimals.`,
    };
  return null;
}

/** The decimals of a currency's minor unit (ISO 4217, as Intl knows it), or undefined when unknown. */
export function minorUnits(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return undefined;
  }
}

/** Whether `value` needs no more than `digits` decimals (2.675 has three, although binary says otherwise). */
function hasAtMostDecimals(value: number, digits: number): boolean {
  const scaled = value * 10 ** digits;
  // A few units in the last place of the scaled value: what binary floating point can be off by.
  return Math.abs(scaled - Math.round(scaled)) <= Math.max(1, Math.abs(scaled)) * Number.EPSILON * 16;
}

/** The body fields the kind's policy publishes (top-level; nested values go as they are). */
export function publicBody(
  policy: Pick<DisclosurePolicy, 'publicFields'>,
  body: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    policy.publicFields.filter((f) => Object.hasOwn(body, f)).map((f) => [f, body[f]]),
  );
}

/**
 * A progress report's physical progress (0–100), or null. Bodies written before progress
 * reports had `physicalProgress` carried `progressPercent`, which reads as the same thing.
 */
export function physicalProgressOf(body: Readonly<Record<string, unknown>>): number | null {
  const value = body.physicalProgress ?? body.progressPercent;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Whether approving a report of `kind` with `body` completes the project. */
export function completesProject(
  kind: Pick<KindSnapshot, 'completion' | 'partialCompletion'>,
  body: Readonly<Record<string, unknown>>,
): boolean {
  if (!kind.completion) return false;
  const partial = kind.partialCompletion;
  return !(partial && partial.values.includes(String(body[partial.field])));
}

/**
 * Days a contract change adds to the period (negative: takes away), read from the body field
 * `durationChangeDays` — the convention a kind follows to have its period changes published as
 * OC4IDS `duration` modifications.
 */
export function periodChangeDaysOf(body: Readonly<Record<string, unknown>>): number | null {
  const value = body.durationChangeDays;
  return typeof value === 'number' && Number.isInteger(value) && value !== 0 ? value : null;
}

export function financialProgressOf(body: Readonly<Record<string, unknown>>): number | null {
  const value = body.financialProgress;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The kinds of reports submitted before kinds came from a profile, as the code defined them
 * then: what a state without a snapshot is read as (in replays and in the read model). Never
 * used for new reports.
 */
export const LEGACY_KINDS: Readonly<Record<string, Omit<KindSnapshot, 'key'>>> = Object.fromEntries(
  (
    [
      ['inspection_request', 'Inspection request', 'none', ['inspectionType', 'location']],
      ['material_approval', 'Material approval', 'none', ['material', 'standard']],
      ['construction_plan', 'Construction plan', 'none', ['planType']],
      ['progress_report', 'Progress report', 'none', ['progressPercent', 'period']],
      ['design_change', 'Design change', 'contract_change', ['changeType']],
      ['progress_payment', 'Payment claim', 'payment', ['claimNumber', 'period']],
      ['completion_inspection', 'Completion inspection', 'none', ['completionType']],
    ] as const
  ).map(([key, name, amount, publicFields]) => [
    key,
    {
      names: { en: name },
      amount,
      progress: key === 'progress_report',
      completion: key === 'completion_inspection',
      body: { type: 'object' },
      schemaVersion: 'legacy',
      disclosure: { publicFields, attachments: false },
    },
  ]),
);

/** The snapshot of a report's kind, for states recorded before reports kept one. */
export function legacyKind(key: string): KindSnapshot {
  const known = LEGACY_KINDS[key];
  return known
    ? { key, ...known }
    : {
        key,
        names: { en: key },
        amount: 'none',
        progress: false,
        completion: false,
        body: { type: 'object' },
        schemaVersion: 'legacy',
        disclosure: { publicFields: [], attachments: false },
      };
}
