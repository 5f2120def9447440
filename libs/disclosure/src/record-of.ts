/**
 * The public record of one finished step, as a pure function of the report's state and the few
 * facts the state does not hold (the project's code and title, the deciding organization). What
 * is public, how time against the deadline is counted and who is named is decided here, once; the
 * activity only fetches the facts and appends what this returns.
 */
import {
  type FeedbackState,
  completesProject,
  isFinished,
  publicAttachments,
  parseIsoDuration,
  physicalProgressOf,
  financialProgressOf,
  publicBody,
  type Decision,
  type OrganizationKind,
  type ProjectRole,
  type ReportState,
  type StepState,
} from '@openccs/domain';
import type {
  DocumentRecord,
  FeedbackRecord,
  ProjectRecord,
  ProjectSheet,
  PublicFileRef,
  StepRecord,
} from './record';

export interface RecordFacts {
  readonly project: { readonly code: string; readonly title: string };
  /** Who decided: their organization, and their name (used only for public officials). */
  readonly actor: {
    readonly organization: string;
    readonly organizationKind: OrganizationKind;
    readonly displayName: string;
  };
  /** The deployment names public officials (agency staff) in records; private staff never. */
  readonly officialsNamed: boolean;
}

export interface RecordPosition {
  readonly seq: number;
  readonly id: string;
  readonly publishedAt: string;
}

export type Publishable =
  | { readonly publish: true; readonly step: StepState; readonly decision: Decision; readonly key: string }
  | { readonly publish: false; readonly reason: string };

/**
 * Whether step `stepKey` of `state` produces a record, and if so the decision that finished it
 * and the key that makes its publication happen once (report, revision, step, outcome).
 */
export function publishable(state: ReportState, stepKey: string): Publishable {
  const step = state.steps.find((s) => s.key === stepKey);
  if (!step) return { publish: false, reason: `the report has no step ${stepKey}` };
  if (!step.public) return { publish: false, reason: `step ${stepKey} is not public` };
  if (!isFinished(step)) return { publish: false, reason: `step ${stepKey} is ${step.status}, not finished` };
  const decision = [...state.decisions]
    .reverse()
    .find((d) => d.revision === state.revision && d.stepKey === stepKey);
  if (!decision)
    return { publish: false, reason: `step ${stepKey} has no decision in revision ${state.revision}` };
  return {
    publish: true,
    step,
    decision,
    key: `${state.reportId}:${state.revision}:${step.key}:${step.status}`,
  };
}

/** The record of a publishable step (see `publishable`), at `position` in the log. */
export function recordOf(
  state: ReportState,
  found: Extract<Publishable, { publish: true }>,
  facts: RecordFacts,
  position: RecordPosition,
): StepRecord {
  const { step, decision } = found;
  const escalation = decision.onBehalf
    ? step.escalations.find((e) => e.id === decision.onBehalf?.escalationId)
    : undefined;
  // Who decided on behalf acted in the escalation's role, not the step's.
  const role: ProjectRole = escalation?.toRole ?? step.assigneeRole;
  const openedAt = step.openedAt ?? decision.at;
  const decidedAt = step.closedAt ?? decision.at;
  const dueAt = step.dueAt ?? decidedAt;
  const kind = state.kindSnapshot;
  return {
    seq: position.seq,
    id: position.id,
    publishedAt: position.publishedAt,
    project: { code: facts.project.code, title: facts.project.title },
    report: {
      id: state.reportId,
      kind: state.kind,
      title: state.title,
      publicSummary: state.publicSummary,
      revision: state.revision,
      status: state.status,
      amount: state.amount,
      body: publicBody(kind.disclosure, state.body),
      ...withAttachments(publicAttachments(state.attachments, state.revision, kind.disclosure.attachments)),
      meaning: {
        amount: kind.amount,
        progress: kind.progress
          ? { physical: physicalProgressOf(state.body), financial: financialProgressOf(state.body) }
          : null,
        completion: completesProject(kind, state.body),
      },
    },
    step: {
      key: step.key,
      name: step.name,
      outcome: step.status as 'approved' | 'rejected' | 'returned',
      openedAt,
      decidedAt,
      dueAt,
      slaSeconds: parseIsoDuration(step.sla) ?? 0,
      takenSeconds: Math.round((Date.parse(decidedAt) - Date.parse(openedAt)) / 1000),
      onTime: decidedAt <= dueAt,
    },
    actor: {
      organization: facts.actor.organization,
      organizationKind: facts.actor.organizationKind,
      role,
      // Officials may be named by the deployment; private-company staff never are.
      name:
        facts.officialsNamed && facts.actor.organizationKind === 'agency' ? facts.actor.displayName : null,
    },
    onBehalf: decision.onBehalf ? { justification: decision.onBehalf.justification } : null,
    escalations: step.escalations.map((e) => ({
      level: e.level,
      ...(e.reason === 'unassigned' ? { reason: 'unassigned' as const } : {}),
      toRole: e.toRole,
      openedAt: e.openedAt,
      resolution: e.resolution
        ? { action: e.resolution.action, justification: e.resolution.justification, at: e.resolution.at }
        : null,
    })),
  };
}

/** `{ attachments }` when there are any: a record without public files keeps the shape it always had. */
function withAttachments(files: readonly PublicFileRef[]): { attachments?: readonly PublicFileRef[] } {
  return files.length > 0 ? { attachments: files } : {};
}

/** What a document record needs beyond the document: its project and who registered it. */
export interface DocumentFacts {
  readonly project: { readonly code: string; readonly title: string };
  readonly document: DocumentRecord['document'];
  readonly actor: RecordFacts['actor'] & { readonly role: ProjectRole };
  readonly officialsNamed: boolean;
}

/** The record of a public project document, at `position` in the log. */
export function documentRecordOf(facts: DocumentFacts, position: RecordPosition): DocumentRecord {
  return {
    type: 'document',
    seq: position.seq,
    id: position.id,
    publishedAt: position.publishedAt,
    project: { code: facts.project.code, title: facts.project.title },
    document: facts.document,
    actor: {
      organization: facts.actor.organization,
      organizationKind: facts.actor.organizationKind,
      role: facts.actor.role,
      name:
        facts.officialsNamed && facts.actor.organizationKind === 'agency' ? facts.actor.displayName : null,
    },
  };
}

/** The record of version `version` of a project's public sheet, at `position` in the log. */
export function projectRecordOf(
  project: { readonly code: string; readonly title: string },
  version: number,
  sheet: ProjectSheet,
  position: RecordPosition,
): ProjectRecord {
  return {
    type: 'project',
    seq: position.seq,
    id: position.id,
    publishedAt: position.publishedAt,
    project: { code: project.code, title: project.title },
    version,
    sheet,
  };
}

/**
 * The record of one round of a citizen's feedback: `answered` publishes the question (and the
 * follow-up that reopened it) with the official answer; `overdue` says only that its deadline
 * passed unanswered. The contact is not part of the state and never reaches a record.
 */
export function feedbackRecordOf(
  state: FeedbackState,
  round: number,
  event: 'answered' | 'overdue' | 'withheld',
  facts: {
    project: { code: string; title: string };
    officialsNamed: boolean;
    actorKind: OrganizationKind | null;
  },
  position: RecordPosition,
): FeedbackRecord {
  const answer = event === 'answered' && state.answer?.round === round ? state.answer : null;
  const openedAt = state.openedAt ?? state.receivedAt;
  const dueAt = state.dueAt ?? openedAt;
  return {
    type: 'feedback',
    seq: position.seq,
    id: position.id,
    publishedAt: position.publishedAt,
    project: { code: facts.project.code, title: facts.project.title },
    feedback: {
      id: state.id,
      round,
      event,
      category: state.category,
      question: answer ? state.message : null,
      followUp: answer && round > 1 ? (state.followUp?.message ?? null) : null,
      answer: answer?.text ?? null,
      answeredBy: answer
        ? {
            organization: answer.by.organization,
            role: answer.by.role,
            name: facts.officialsNamed && facts.actorKind === 'agency' ? answer.by.name : null,
          }
        : null,
      receivedAt: round > 1 ? (state.followUp?.at ?? state.receivedAt) : state.receivedAt,
      openedAt,
      dueAt,
      answeredAt: answer?.at ?? null,
      onTime: answer ? answer.at <= dueAt : false,
      takenSeconds: answer
        ? Math.max(0, Math.round((Date.parse(answer.at) - Date.parse(openedAt)) / 1000))
        : null,
    },
  };
}
