/**
 * A disclosure record: the public trace of one finished step, or of one public project document,
 * and nothing private. It names organizations and roles, never private-company staff; officials
 * only when the deployment says so. Its leaf in the log is its RFC 8785 canonical JSON, so the log
 * commits to every file a record names by that file's SHA-256.
 */
import canonicalize from 'canonicalize';
import type {
  AmountMeaning,
  OrganizationKind,
  ProjectRole,
  ProjectStatus,
  ReportKind,
} from '@openccs/domain';
import { leafHash } from './merkle';

/** A file a record publishes: the log commits to its bytes through `sha256`. */
export interface PublicFileRef {
  readonly sha256: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
}

export type DisclosureRecord =
  StepRecord | DocumentRecord | ProjectRecord | FeedbackRecord | KeyRotationRecord;

/** A record about one project: every record but the log's own key rotations. */
export type ProjectScopedRecord = Exclude<DisclosureRecord, KeyRotationRecord>;

/** The record of one finished step (records without a `type` are step records). */
export interface StepRecord {
  /** Position in the log, from 0. */
  readonly seq: number;
  readonly id: string;
  readonly publishedAt: string;
  readonly project: { readonly code: string; readonly title: string };
  readonly report: {
    readonly id: string;
    readonly kind: ReportKind;
    readonly title: string;
    readonly publicSummary: string | null;
    readonly revision: number;
    /** The report's status right after this step: `approved` on the step that approved it. */
    readonly status: 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn';
    readonly amount: { readonly value: number; readonly currency: string } | null;
    /** Only the fields the kind's disclosure policy whitelists. */
    readonly body: Record<string, unknown>;
    /**
     * What the report means for the project, as its kind said when it was submitted: records are
     * read (and figures recomputed) without knowing the deployment's profile. Absent in records
     * published before kinds came from profiles (`meaningOf` reads those by their kind's key).
     */
    readonly meaning?: RecordMeaning;
    /**
     * The public attachments of this revision, when the kind's policy publishes attachments;
     * absent when there are none. A photo is named by its copy without metadata.
     */
    readonly attachments?: readonly PublicFileRef[];
  };
  readonly step: {
    readonly key: string;
    readonly name: string;
    readonly outcome: 'approved' | 'rejected' | 'returned';
    readonly openedAt: string;
    readonly decidedAt: string;
    readonly dueAt: string;
    readonly slaSeconds: number;
    readonly takenSeconds: number;
    readonly onTime: boolean;
  };
  readonly actor: {
    readonly organization: string;
    readonly organizationKind: OrganizationKind;
    readonly role: ProjectRole;
    /** A public official's name, when the deployment discloses them; never a private company's staff. */
    readonly name: string | null;
  };
  /** Set when an escalation handler decided instead of the assignees. */
  readonly onBehalf: { readonly justification: string } | null;
  readonly escalations: readonly {
    readonly level: number;
    /** Present when nobody was left to decide the step; absent for a missed deadline. */
    readonly reason?: 'unassigned';
    readonly toRole: ProjectRole;
    readonly openedAt: string;
    readonly resolution: {
      readonly action: string;
      readonly justification: string | null;
      readonly at: string;
    } | null;
  }[];
}

/** The record of a public project document (a contract, a drawing, a permit, a site photo…). */
export interface DocumentRecord {
  readonly type: 'document';
  readonly seq: number;
  readonly id: string;
  readonly publishedAt: string;
  readonly project: { readonly code: string; readonly title: string };
  readonly document: {
    readonly id: string;
    readonly title: string;
    readonly category: DocumentCategory;
    /** 1 for the first document of this title in the project, then 2, 3… */
    readonly version: number;
    readonly file: PublicFileRef;
  };
  /** Who registered it, as a step record names who decided. */
  readonly actor: {
    readonly organization: string;
    readonly organizationKind: OrganizationKind;
    readonly role: ProjectRole;
    readonly name: string | null;
  };
}

/**
 * The public sheet of a project — who orders it, where it is, its contract value and period, the
 * organizations taking part — published when the project is created and again whenever any of it
 * changes. The figures and red flags read the contract value from here, so anyone holding the
 * export can recompute them, and a contract value edited after the fact shows in the log.
 */
export interface ProjectRecord {
  readonly type: 'project';
  readonly seq: number;
  readonly id: string;
  readonly publishedAt: string;
  readonly project: { readonly code: string; readonly title: string };
  /** 1 for the first sheet of the project, then 2, 3… */
  readonly version: number;
  readonly sheet: ProjectSheet;
}

export interface ProjectSheet {
  readonly agency: { readonly id: string; readonly name: string };
  readonly description: string | null;
  readonly location: ProjectLocation | null;
  readonly contractValue: { readonly value: number; readonly currency: string } | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly status: ProjectStatus;
  /** Organizations with members on the project (observers aside), by project role. */
  readonly parties: readonly {
    readonly id: string;
    readonly name: string;
    readonly kind: OrganizationKind;
    readonly role: ProjectRole;
  }[];
}

/**
 * A citizen's feedback in the log: once its question and the official answer are published
 * (`answered`, after moderation), or once its answer deadline passed unanswered (`overdue`, with
 * no text: it was never moderated). Never the citizen's contact; officials by organization and
 * role (named only where the deployment names officials).
 */
export interface FeedbackRecord {
  readonly type: 'feedback';
  readonly seq: number;
  readonly id: string;
  readonly publishedAt: string;
  readonly project: { readonly code: string; readonly title: string };
  readonly feedback: {
    readonly id: string;
    /** 1, then 2 for the round a follow-up reopened. */
    readonly round: number;
    /** `withheld`: moderated as not publishable (hidden, spam); counted, never shown. */
    readonly event: 'answered' | 'overdue' | 'withheld';
    readonly category: string;
    readonly question: string | null;
    readonly followUp: string | null;
    readonly answer: string | null;
    readonly answeredBy: {
      readonly organization: string;
      readonly role: ProjectRole;
      readonly name: string | null;
    } | null;
    readonly receivedAt: string;
    readonly openedAt: string;
    readonly dueAt: string;
    readonly answeredAt: string | null;
    /** Answered by its deadline; false for an overdue record. */
    readonly onTime: boolean;
    /** From the round's opening to the answer; null for an overdue record. */
    readonly takenSeconds: number | null;
  };
}

/**
 * The log announcing, in itself, that its heads are signed by a new key from the tree that holds
 * this record on (`fromTreeSize` = `seq` + 1): signed by the key it retires, so that whoever
 * trusts the first key can follow every later one (keys.ts; docs/disclosure.md). It belongs to no
 * project.
 */
export interface KeyRotationRecord {
  readonly type: 'key_rotation';
  readonly seq: number;
  readonly id: string;
  readonly publishedAt: string;
  readonly rotation: {
    /** The key signing heads until this record: `keyId` and SPKI PEM. */
    readonly previousKey: { readonly keyId: string; readonly publicKey: string };
    /** The key signing every head from `fromTreeSize` on. */
    readonly nextKey: { readonly keyId: string; readonly publicKey: string };
    readonly fromTreeSize: number;
    /** Ed25519 by the previous key over rotationSignedBytes (keys.ts), base64. */
    readonly signature: string;
  };
}

/** Where a project is: an address, and WGS 84 coordinates when known. */
export interface ProjectLocation {
  readonly address: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
}

export const DOCUMENT_CATEGORIES = [
  'contract',
  'drawing',
  'as_built',
  'permit',
  'site_photo',
  'other',
] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];

export function isStepRecord(record: DisclosureRecord): record is StepRecord {
  return (record as { type?: string }).type === undefined;
}

export function isKeyRotationRecord(record: DisclosureRecord): record is KeyRotationRecord {
  return (record as { type?: string }).type === 'key_rotation';
}

/** Whether `record` is about a project (every record but a key rotation). */
export function isProjectScoped(record: DisclosureRecord): record is ProjectScopedRecord {
  return !isKeyRotationRecord(record);
}

export function isDocumentRecord(record: DisclosureRecord): record is DocumentRecord {
  return (record as { type?: string }).type === 'document';
}

export function isProjectRecord(record: DisclosureRecord): record is ProjectRecord {
  return (record as { type?: string }).type === 'project';
}

export function isFeedbackRecord(record: DisclosureRecord): record is FeedbackRecord {
  return (record as { type?: string }).type === 'feedback';
}

/** Every file `record` publishes. */
export function filesNamedBy(record: DisclosureRecord): readonly PublicFileRef[] {
  if (isStepRecord(record)) return record.report.attachments ?? [];
  return isDocumentRecord(record) ? [record.document.file] : [];
}

export interface RecordMeaning {
  /** What `amount` is: a change to the contract amount, a payment, or nothing. */
  readonly amount: AmountMeaning;
  /** The project's progress the report states (percent), for kinds that report progress. */
  readonly progress: { readonly physical: number | null; readonly financial: number | null } | null;
  /** Approving the report completes the project. */
  readonly completion: boolean;
}

/** The bytes the log commits to. */
export function canonicalRecord(record: DisclosureRecord): string {
  const text = canonicalize(record);
  if (text === undefined) throw new Error('a disclosure record must be JSON');
  return text;
}

export function recordLeafHash(record: DisclosureRecord): string {
  return leafHash(canonicalRecord(record));
}
