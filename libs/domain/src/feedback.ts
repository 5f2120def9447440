/**
 * Citizen feedback on a project (a question, a complaint, a safety concern, a report of an
 * irregularity), as pure transitions over its state — the same shape as a report's: a command
 * gives a new state or a typed refusal, and the workflow that owns the state only wires it to
 * Temporal. States: received → assigned → answered → closed, with moderation deciding whether the
 * question and its answer are published (`publish`) or not (`hide`, `spam`); one follow-up on the
 * same tracking code reopens an answered or closed feedback once.
 */
import { addDuration } from './deadlines';
import type { TimeBasis } from './deadlines';
import type { ProjectRole } from './vocabulary';

export const FEEDBACK_CATEGORIES = ['question', 'complaint', 'safety', 'report_irregularity'] as const;
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];

export const FEEDBACK_STATUSES = ['received', 'assigned', 'answered', 'closed', 'hidden', 'spam'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const MODERATION_ACTIONS = ['publish', 'hide', 'spam'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** A citizen's message, a follow-up, an official answer, a moderation reason. */
export const MAX_FEEDBACK_LENGTH = 2_000;
export const MAX_ANSWER_LENGTH = 4_000;
export const MAX_MODERATION_REASON_LENGTH = 1_000;
/**
 * Answers and moderations of one feedback: each is an event in its workflow's history, so staff
 * replacing an answer over and over could otherwise grow it until Temporal ends the workflow.
 */
export const MAX_FEEDBACK_CHANGES = 50;

/** Who answered or moderated: an official, by organization and project role. */
export interface FeedbackActor {
  readonly userId: string;
  readonly organization: string;
  readonly role: ProjectRole;
  readonly name: string;
}

export interface FeedbackState {
  readonly id: string;
  readonly projectId: string;
  readonly category: FeedbackCategory;
  readonly message: string;
  readonly receivedAt: string;
  readonly status: FeedbackStatus;
  /** 1, then 2 after the follow-up reopened it. */
  readonly round: number;
  readonly followUp: { readonly message: string; readonly at: string } | null;
  /** Users who must answer (the routed roles' holders when it was assigned). */
  readonly assignees: readonly string[];
  readonly openedAt: string | null;
  readonly dueAt: string | null;
  readonly answer: {
    readonly text: string;
    readonly at: string;
    readonly by: FeedbackActor;
    readonly round: number;
  } | null;
  /** The latest moderation; `publish` lets the question and answer into the public log. */
  readonly moderation: {
    readonly action: ModerationAction;
    readonly reason: string;
    readonly at: string;
    readonly by: FeedbackActor;
  } | null;
  /** Escalations of the answer deadline, one per round and level. */
  readonly escalations: readonly {
    readonly round: number;
    readonly level: number;
    readonly toRole: ProjectRole;
    readonly at: string;
  }[];
  /** Rounds whose deadline passed unanswered (and were published as overdue). */
  readonly overdueRounds: readonly number[];
  /** Rounds whose question and answer were published. */
  readonly publishedRounds: readonly number[];
  /** Rounds hidden or marked as spam: published as withheld, without their text. */
  readonly withheldRounds?: readonly number[];
  /** Answers and moderations so far (at most MAX_FEEDBACK_CHANGES). */
  readonly changes?: number;
}

export const FEEDBACK_REFUSAL_CODES = [
  'feedback.too_many_changes',
  'feedback.not_assignee',
  'feedback.closed',
  'feedback.not_answered',
  'feedback.follow_up_used',
  'feedback.not_open',
] as const;
export type FeedbackRefusalCode = (typeof FEEDBACK_REFUSAL_CODES)[number];

export type FeedbackTransition =
  | { readonly ok: true; readonly state: FeedbackState }
  | { readonly ok: false; readonly code: FeedbackRefusalCode; readonly reason: string };

const refuse = (code: FeedbackRefusalCode, reason: string): FeedbackTransition => ({
  ok: false,
  code,
  reason,
});

/** The feedback as received: not yet assigned. */
export function receiveFeedback(input: {
  id: string;
  projectId: string;
  category: FeedbackCategory;
  message: string;
  at: string;
}): FeedbackState {
  return {
    id: input.id,
    projectId: input.projectId,
    category: input.category,
    message: input.message,
    receivedAt: input.at,
    status: 'received',
    round: 1,
    followUp: null,
    assignees: [],
    openedAt: null,
    dueAt: null,
    answer: null,
    moderation: null,
    escalations: [],
    overdueRounds: [],
    publishedRounds: [],
  };
}

/** What the profile says about feedback: who answers each category, how fast, who is escalated to. */
export interface FeedbackRules {
  /** Roles whose holders answer, per category (agency officers at least). */
  readonly routes: Readonly<Record<FeedbackCategory, readonly ProjectRole[]>>;
  /** Seconds to answer, counted on `basis`. */
  readonly answerWithinSeconds: number;
  readonly basis: TimeBasis;
  /** Levels after the deadline (seconds past it) and the role each goes to. */
  readonly escalation: readonly { readonly afterSeconds: number; readonly toRole: ProjectRole }[];
}

/** Assigns the feedback to `assignees` with its deadline (the start of a round). */
export function assignFeedback(
  state: FeedbackState,
  assignees: readonly string[],
  rules: Pick<FeedbackRules, 'answerWithinSeconds' | 'basis'>,
  at: string,
): FeedbackState {
  return {
    ...state,
    status: 'assigned',
    assignees: [...new Set(assignees)],
    openedAt: at,
    dueAt: addDuration(at, rules.answerWithinSeconds, rules.basis) ?? at,
  };
}

const isEnded = (s: FeedbackState) => s.status === 'closed' || s.status === 'hidden' || s.status === 'spam';

/**
 * An answer from one of the assignees, or from whoever an escalation of this round went to (the
 * caller says whether `actor` holds that role). Answering again before it is published replaces
 * the answer.
 */
export function answerFeedback(
  state: FeedbackState,
  cmd: { actor: FeedbackActor; text: string; escalatedToActor: boolean },
  at: string,
): FeedbackTransition {
  if (isEnded(state))
    return refuse('feedback.closed', `This feedback is ${state.status}: it takes no answer.`);
  const limit = changeLimit(state);
  if (limit) return limit;
  if (state.status === 'received') return refuse('feedback.not_open', 'This feedback is not assigned yet.');
  if (!state.assignees.includes(cmd.actor.userId) && !cmd.escalatedToActor)
    return refuse(
      'feedback.not_assignee',
      'Only the officials it is assigned to (or escalated to) answer it.',
    );
  const answered: FeedbackState = {
    ...state,
    changes: (state.changes ?? 0) + 1,
    status: 'answered',
    answer: { text: cmd.text, at, by: cmd.actor, round: state.round },
  };
  return { ok: true, state: settle(answered) };
}

/**
 * Moderation by an official of the project's agency: `publish` lets the question and its answer
 * into the log (at once if answered, else when it is); `hide` and `spam` end it unpublished.
 */
export function moderateFeedback(
  state: FeedbackState,
  cmd: { actor: FeedbackActor; action: ModerationAction; reason: string },
  at: string,
): FeedbackTransition {
  if (isEnded(state)) return refuse('feedback.closed', `This feedback is ${state.status} already.`);
  const limit = changeLimit(state);
  if (limit) return limit;
  const moderation = { action: cmd.action, reason: cmd.reason, at, by: cmd.actor };
  state = { ...state, changes: (state.changes ?? 0) + 1 };
  if (cmd.action !== 'publish')
    return {
      ok: true,
      state: {
        ...state,
        status: cmd.action === 'hide' ? 'hidden' : 'spam',
        moderation,
        // Counted in public without its text, so that hiding feedback never hides it from the figures.
        withheldRounds: [...(state.withheldRounds ?? []), state.round],
      },
    };
  return { ok: true, state: settle({ ...state, moderation }) };
}

const changeLimit = (state: FeedbackState): FeedbackTransition | null =>
  (state.changes ?? 0) >= MAX_FEEDBACK_CHANGES
    ? refuse(
        'feedback.too_many_changes',
        `This feedback was answered and moderated ${MAX_FEEDBACK_CHANGES} times; it takes no more changes.`,
      )
    : null;

/** An answered feedback moderated for publication is closed: its round is published. */
function settle(state: FeedbackState): FeedbackState {
  if (state.status !== 'answered' || state.moderation?.action !== 'publish') return state;
  if (state.publishedRounds.includes(state.round)) return { ...state, status: 'closed' };
  return { ...state, status: 'closed', publishedRounds: [...state.publishedRounds, state.round] };
}

/** The citizen's one follow-up: reopens an answered or closed (published) feedback once. */
export function followUpFeedback(state: FeedbackState, message: string, at: string): FeedbackTransition {
  if (state.followUp) return refuse('feedback.follow_up_used', 'This feedback was followed up once already.');
  if (state.status !== 'answered' && state.status !== 'closed')
    return refuse('feedback.not_answered', 'A follow-up reopens feedback once it has been answered.');
  return {
    ok: true,
    state: {
      ...state,
      status: 'received',
      round: state.round + 1,
      followUp: { message, at },
      // The follow-up is the citizen's new text: nothing of it is published before an official
      // moderates this round too.
      moderation: null,
    },
  };
}

/** The next moment something is due (an escalation level), or null. */
export function nextFeedbackEvent(
  state: FeedbackState,
  rules: Pick<FeedbackRules, 'escalation'>,
): { at: string; kind: 'overdue' | 'escalation'; level: number } | null {
  // Answered but not published (never moderated) is not an answer the public has: it goes
  // overdue too; escalation is for a feedback nobody answered.
  const waiting = state.status === 'assigned' || state.status === 'answered';
  if (!waiting || !state.dueAt) return null;
  if (!state.overdueRounds.includes(state.round)) return { at: state.dueAt, kind: 'overdue', level: 0 };
  if (state.status !== 'assigned') return null;
  const opened = state.escalations.filter((e) => e.round === state.round).length;
  const level = rules.escalation[opened];
  if (!level) return null;
  const at = new Date(Date.parse(state.dueAt) + level.afterSeconds * 1000).toISOString();
  return { at, kind: 'escalation', level: opened + 1 };
}

/** Fires the event `nextFeedbackEvent` named, when its time has come. */
export function fireFeedbackEvent(
  state: FeedbackState,
  rules: Pick<FeedbackRules, 'escalation'>,
  now: string,
): { state: FeedbackState; fired: 'overdue' | { level: number; toRole: ProjectRole } } | null {
  const next = nextFeedbackEvent(state, rules);
  if (!next || next.at > now) return null;
  if (next.kind === 'overdue')
    return { state: { ...state, overdueRounds: [...state.overdueRounds, state.round] }, fired: 'overdue' };
  const level = rules.escalation[next.level - 1] as FeedbackRules['escalation'][number];
  return {
    state: {
      ...state,
      escalations: [
        ...state.escalations,
        { round: state.round, level: next.level, toRole: level.toRole, at: now },
      ],
    },
    fired: { level: next.level, toRole: level.toRole },
  };
}

/** Roles an escalation of this round went to: their holders may answer too. */
export const escalatedRoles = (state: FeedbackState): ProjectRole[] =>
  state.escalations.filter((e) => e.round === state.round).map((e) => e.toRole);
