/**
 * A deployment profile: everything a government tailors without code (PRODUCT.md, "Deployment
 * profiles"). Loaded and validated once at start (load.ts); every process of a deployment reads
 * the same directory.
 */
import type {
  FeedbackCategory,
  KindDefinition,
  ProjectRole,
  ProjectStatus,
  WorkCalendar,
} from '@openccs/domain';

export interface ThresholdSource {
  readonly source: string;
}

/** Red-flag thresholds (the transparency issue computes them; the shape is fixed here). */
export interface IntegrityThresholds {
  /** Cumulative approved contract changes above these shares of the original contract value. */
  readonly contractChange: readonly (ThresholdSource & { readonly share: number })[];
  readonly repeatedIncreases: ThresholdSource & { readonly count: number };
  readonly onBehalfRate: Rate;
  readonly lateRate: Rate;
  readonly officialConcentration: Rate;
  readonly unansweredFeedback: Rate;
}

export interface Rate extends ThresholdSource {
  readonly share: number;
  /** How many cases it takes before the rate means anything. */
  readonly minimum: number;
}

export interface Holiday {
  readonly date: string;
  readonly names: Readonly<Record<string, string>>;
  readonly status: 'official' | 'computed' | 'estimated';
}

/** The profile's working calendar: what deadlines in working time count with, and its holidays. */
export interface ProfileCalendar {
  readonly names: Readonly<Record<string, string>>;
  readonly calendar: WorkCalendar;
  readonly holidays: readonly Holiday[];
  readonly sources: readonly string[];
}

export interface DemoData {
  readonly organizations: readonly {
    readonly key: string;
    readonly name: string;
    readonly kind: 'agency' | 'contractor' | 'supervisor' | 'subcontractor';
  }[];
  readonly project: {
    readonly code: string;
    readonly title: string;
    readonly agency: string;
    readonly description?: string;
    readonly location?: string;
    readonly coordinates?: { readonly lat: number; readonly lon: number };
    readonly contractAmount?: number;
    readonly startDate?: string;
    readonly endDate?: string;
    readonly status: ProjectStatus;
  };
  readonly people: readonly {
    readonly username: string;
    readonly displayName: string;
    readonly organization: string;
    readonly role: ProjectRole;
  }[];
}

/** Citizen feedback: who answers each category, how fast, who it escalates to, contact retention. */
export interface FeedbackProfile {
  readonly answerWithinSeconds: number;
  readonly routes: Readonly<Record<FeedbackCategory, readonly ProjectRole[]>>;
  readonly escalation: readonly { readonly afterSeconds: number; readonly toRole: ProjectRole }[];
  readonly contactRetentionSeconds: number;
  readonly source: string;
}

export interface Profile {
  /** `seoul`, `tunisia`, …; where it was read from is `directory`. */
  readonly name: string;
  readonly directory: string;
  readonly title: Readonly<Record<string, string>>;
  /** The portal's and the console's languages; the first is the default. */
  readonly languages: readonly string[];
  /** ISO 4217 code of every amount. */
  readonly currency: string;
  /** Whether disclosure records name public officials (private-company staff never are). */
  readonly officialsNamed: boolean;
  readonly defaults: { readonly deadlineBasis: 'calendar' | 'working' };
  readonly integrity: IntegrityThresholds;
  readonly feedback: FeedbackProfile;
  readonly calendar: ProfileCalendar;
  /** The report kinds, in a stable order (by key). */
  readonly kinds: readonly KindDefinition[];
  readonly demo: DemoData;
}

/** Why `value` is not one of the profile's report kinds (for `field`), or `null`. */
export function kindProblem(
  profile: Pick<Profile, 'kinds'>,
  field: string,
  value: unknown,
): { field: string; message: string } | null {
  if (typeof value === 'string' && profile.kinds.some((k) => k.key === value)) return null;
  return { field, message: `${field} must be one of ${profile.kinds.map((k) => k.key).join(', ')}` };
}

/** The kind with this key, or undefined. */
export function kindOf(profile: Pick<Profile, 'kinds'>, key: string): KindDefinition | undefined {
  return profile.kinds.find((k) => k.key === key);
}

/** A text in `language`, else the profile's default language, else English, else any. */
export function localized(
  names: Readonly<Record<string, string>>,
  language: string,
  fallbacks: readonly string[] = [],
): string {
  for (const l of [language, ...fallbacks, 'en']) {
    const text = names[l];
    if (text) return text;
  }
  return Object.values(names)[0] ?? '';
}

/**
 * The public part of the profile, as `GET /public/v1/profile` publishes it: the rules the data
 * follows (kinds, their body schemas and public fields, languages, currency, thresholds).
 */
export function publicProfile(profile: Profile) {
  const { calendar } = profile.calendar;
  return {
    name: profile.name,
    title: profile.title,
    languages: profile.languages,
    currency: profile.currency,
    officialsNamed: profile.officialsNamed,
    calendar: {
      names: profile.calendar.names,
      utcOffsetMinutes: calendar.utcOffsetMinutes,
      workingDays: calendar.workingDays,
      workingHours: { start: minutes(calendar.workStartMinute), end: minutes(calendar.workEndMinute) },
      covers: { from: calendar.coversFrom ?? null, until: calendar.coversUntil ?? null },
      holidays: profile.calendar.holidays,
    },
    kinds: profile.kinds.map((k) => ({
      key: k.key,
      names: k.names,
      amount: k.amount,
      progress: k.progress,
      completion: k.completion,
      bodySchema: k.body,
      schemaVersion: k.schemaVersion,
      publicFields: k.disclosure.publicFields,
      attachmentsPublic: k.disclosure.attachments,
    })),
    integrity: profile.integrity,
    feedback: {
      answerWithinSeconds: profile.feedback.answerWithinSeconds,
      routes: profile.feedback.routes,
      escalation: profile.feedback.escalation,
      contactRetentionSeconds: profile.feedback.contactRetentionSeconds,
      source: profile.feedback.source,
    },
  };
}

export type PublicProfile = ReturnType<typeof publicProfile>;

const minutes = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
