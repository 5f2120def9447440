/**
 * The approval line of one report as pure functions: no I/O, no clock, no framework. The
 * workflow and the API call the same functions, so a refused action is refused for the same
 * reason everywhere. Every transition returns a new state or a typed refusal; none mutates.
 *
 * Time comes in as ISO strings (`now`), people as user ids; who holds which role is resolved
 * outside (an activity) and passed in when a step opens.
 */
import { addDuration, uncoveredDeadline, type TimeBasis } from './deadlines';
import { parseIsoDuration } from './duration';
import type { StepTemplate } from './approval-line';
import type { Attachment, AttachmentInput } from './attachments';
import { legacyKind, type KindSnapshot, type Money } from './kinds';
import { MAX_DELEGATIONS_PER_STEP, MAX_REPORT_TEXT_BYTES } from './limits';
import { jsonBytes } from './text';
import type { ProjectRole, ReportKind } from './vocabulary';

export const REPORT_STATUSES = ['in_review', 'returned', 'approved', 'rejected', 'withdrawn'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export type StepStatus = 'waiting' | 'active' | 'approved' | 'rejected' | 'returned' | 'skipped';
export type DecisionAction = 'approve' | 'reject' | 'return';
export type StepOutcome = 'approved' | 'rejected' | 'returned';

/** What a decision makes of the step it finishes: the one mapping of actions to outcomes. */
export const OUTCOME_OF: Readonly<Record<DecisionAction, StepOutcome>> = {
  approve: 'approved',
  reject: 'rejected',
  return: 'returned',
};

/** Every decision an assignee can take, in the order they are offered. */
export const DECISION_ACTIONS = Object.keys(OUTCOME_OF) as readonly DecisionAction[];

export interface Decision {
  readonly stepKey: string;
  readonly revision: number;
  readonly actorId: string;
  readonly action: DecisionAction;
  readonly comment: string | null;
  readonly at: string;
  /** Set when an escalation handler decided instead of the assignees; always disclosed. */
  readonly onBehalf?: { readonly escalationId: string; readonly justification: string } | null;
}

export interface Delegation {
  readonly fromUserId: string;
  readonly toUserId: string;
  readonly at: string;
}

export interface StepState extends StepTemplate {
  readonly status: StepStatus;
  /** Who may decide: the role's members when the step opened, as changed by delegations. */
  readonly assignees: readonly string[];
  /** Assignees when the step opened: the base of the "held the role when it opened" invariant. */
  readonly openingAssignees: readonly string[];
  /** Distinct assignees who approved this step in this revision. */
  readonly approvals: readonly string[];
  readonly delegations: readonly Delegation[];
  readonly openedAt: string | null;
  readonly dueAt: string | null;
  /** Why the step has no deadline although it is open (its working calendar ran out), else absent. */
  readonly deadlineProblem?: string | null;
  readonly closedAt: string | null;
  /** Increases each time the deadline is extended; reminders and escalation levels count per generation. */
  readonly generation: number;
  /** Start and length (in the report's time basis) of the current deadline window, for reminders. */
  readonly windowStart: string | null;
  readonly windowSeconds: number;
  readonly reminders: readonly {
    readonly generation: number;
    readonly fraction: number;
    readonly at: string;
  }[];
  readonly escalations: readonly EscalationState[];
}

export type ResolveAction = 'reassign' | 'extend' | 'approve' | 'reject' | 'return';

export interface EscalationResolution {
  /** What closed it: a handler's action, or the step being decided or closed without one. */
  readonly action: ResolveAction | 'step_decided' | 'step_closed';
  readonly actorId: string | null;
  readonly justification: string | null;
  readonly at: string;
  readonly toUserId: string | null;
  readonly extendBy: string | null;
  /** The escalation the handler acted on (the others of the step close with it). */
  readonly escalationId: string;
}

/**
 * A step raised to a role: level by level once it is overdue, or at once when nobody is left who
 * can decide it (every assignee was removed, demoted or deactivated).
 */
export interface EscalationState {
  readonly id: string;
  /** Why it opened; absent (overdue) in states recorded before unassigned steps escalated. */
  readonly reason?: 'overdue' | 'unassigned';
  readonly stepKey: string;
  readonly revision: number;
  readonly level: number;
  readonly toRole: ProjectRole;
  /** The deadline generation it belongs to: extending the deadline starts a new one. */
  readonly generation: number;
  readonly dueAt: string;
  readonly openedAt: string;
  readonly status: 'open' | 'resolved';
  readonly resolution: EscalationResolution | null;
}

/** How a report counts time: its project's basis, and when reminders go out (fractions of a window). */
export interface Timing {
  readonly basis: TimeBasis;
  readonly reminderPoints: readonly number[];
}

export interface ReportContent {
  readonly title: string;
  readonly body: Record<string, unknown>;
  readonly publicSummary: string | null;
  readonly amount: Money | null;
}

export interface SubmitInput extends ReportContent {
  readonly reportId: string;
  readonly projectId: string;
  readonly kind: ReportKind;
  /**
   * The kind as the profile defined it at submission (schema, amount rule, disclosure policy):
   * later profile changes never change this report. Absent in submissions recorded before
   * profiles; `upgradeSubmission` fills it from `LEGACY_KINDS`.
   */
  readonly kindSnapshot: KindSnapshot;
  /** Files attached to the first revision; absent in submissions recorded before evidence. */
  readonly attachments?: readonly AttachmentInput[];
  readonly submitterId: string;
  readonly lineVersion: number;
  readonly line: readonly StepTemplate[];
  readonly timing: Timing;
}

export interface ReportState extends Omit<SubmitInput, 'attachments'> {
  /** The attachments of every revision, each marked with its revision. */
  readonly attachments: readonly Attachment[];
  readonly revision: number;
  readonly status: ReportStatus;
  /** Index of the open step, `null` when no step is open. */
  readonly currentStep: number | null;
  readonly steps: readonly StepState[];
  /** Every decision of every revision, oldest first. */
  readonly decisions: readonly Decision[];
  readonly submittedAt: string;
  readonly updatedAt: string;
  /** Increases with every change: the read model keeps only the newest. */
  readonly version: number;
}

/** Every reason the rules can refuse an action, as stable codes. */
export const REFUSAL_CODES = [
  'report.closed',
  'report.not_returned',
  'step.not_open',
  'decision.not_assignee',
  'decision.own_report',
  'decision.already_approved',
  'report.not_submitter',
  'delegation.not_assignee',
  'delegation.invalid_target',
  'escalation.not_found',
  'escalation.resolved',
  'escalation.not_handler',
  'escalation.invalid',
  'report.too_large',
  'report.unprocessable',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  readonly ok: false;
  readonly code: RefusalCode;
  readonly reason: string;
}

/** An accepted change; what it sets in motion (a step to open, records, notifications) is `effectsOf`'s. */
export interface Accepted {
  readonly ok: true;
  readonly state: ReportState;
}

export type Transition = Accepted | Refusal;

export const refuse = (code: RefusalCode, reason: string): Refusal => ({ ok: false, code, reason });

function waitingStep(template: StepTemplate): StepState {
  return {
    ...template,
    status: 'waiting',
    assignees: [],
    openingAssignees: [],
    approvals: [],
    delegations: [],
    openedAt: null,
    dueAt: null,
    closedAt: null,
    generation: 0,
    windowStart: null,
    windowSeconds: 0,
    reminders: [],
    escalations: [],
  };
}

/** A submitted report: revision 1, in review, its first step about to open. */
export function submit(input: SubmitInput, now: string): Accepted {
  if (input.line.length === 0) throw new Error('an approval line has at least one step');
  return {
    ok: true,
    state: {
      ...input,
      attachments: (input.attachments ?? []).map((a) => ({ ...a, revision: 1 })),
      revision: 1,
      status: 'in_review',
      currentStep: null,
      steps: input.line.map(waitingStep),
      decisions: [],
      submittedAt: now,
      updatedAt: now,
      version: 1,
    },
  };
}

/**
 * Opens step `index` with its assignees. The submitter is never an assignee of their own
 * report, even when they also hold the step's role.
 */
export function openStep(
  state: ReportState,
  index: number,
  members: readonly string[],
  now: string,
): ReportState {
  const step = state.steps[index];
  if (!step || step.status !== 'waiting' || state.status !== 'in_review') {
    throw new Error(`step ${index} of report ${state.reportId} cannot be opened`);
  }
  const assignees = [...new Set(members)].filter((id) => id !== state.submitterId).sort();
  const slaSeconds = parseIsoDuration(step.sla) ?? 0;
  const { basis } = state.timing;
  const dueAt = addDuration(now, slaSeconds, basis);
  return bump(
    {
      ...state,
      currentStep: index,
      steps: replaceStep(state.steps, index, {
        ...step,
        status: 'active',
        assignees,
        openingAssignees: assignees,
        openedAt: now,
        dueAt,
        ...(dueAt === null && basis.kind === 'working'
          ? { deadlineProblem: uncoveredDeadline(basis.calendar) }
          : {}),
        windowStart: now,
        windowSeconds: slaSeconds,
      }),
    },
    now,
  );
}

/** How many distinct approvals the step needs with its current assignees. */
export function approvalsNeeded(step: Pick<StepState, 'mode' | 'quorum' | 'assignees'>): number {
  switch (step.mode) {
    case 'any':
      return 1;
    case 'quorum':
      return step.quorum ?? 1;
    case 'all':
      return Math.max(1, step.assignees.length);
  }
}

/**
 * Whether the step's assignees as they are can still approve it: someone has yet to decide, and
 * enough of them are left to make its quorum.
 */
export function canBeApproved(step: Pick<StepState, 'mode' | 'quorum' | 'assignees' | 'approvals'>): boolean {
  const pending = step.assignees.filter((a) => !step.approvals.includes(a)).length;
  return pending > 0 && step.approvals.length + pending >= approvalsNeeded(step);
}

function isSatisfied(step: StepState): boolean {
  if (step.mode === 'all')
    return step.assignees.length > 0 && step.assignees.every((a) => step.approvals.includes(a));
  return step.approvals.length >= approvalsNeeded(step);
}

export function openStepOf(state: ReportState): { index: number; step: StepState } | Refusal {
  if (state.status === 'returned') {
    return refuse(
      'step.not_open',
      'The report was returned to its submitter; no step is open until it is resubmitted.',
    );
  }
  if (state.status !== 'in_review') return refuse('report.closed', `The report is ${state.status}.`);
  const index = state.currentStep;
  const step = index === null ? undefined : state.steps[index];
  if (index === null || !step || step.status !== 'active') return refuse('step.not_open', 'No step is open.');
  return { index, step };
}

export interface DecideCommand {
  readonly actorId: string;
  /**
   * The role the actor acts in on the project now, looked up by the caller (`actingRole`): an
   * assignee who was demoted, removed or deactivated since the step opened decides nothing.
   * Absent in commands recorded before this rule, which it therefore does not apply to.
   */
  readonly actorRole?: ProjectRole | null;
  readonly action: DecisionAction;
  readonly comment?: string | null;
}

/** Refuses an assignee who no longer acts in the step's role (see `DecideCommand.actorRole`). */
function roleLapsed(step: StepState, actorRole: ProjectRole | null | undefined): Refusal | null {
  if (actorRole === undefined || actorRole === step.assigneeRole) return null;
  return refuse(
    'decision.not_assignee',
    `You no longer act as ${step.assigneeRole} on this project, so the step "${step.name}" is not yours to decide.`,
  );
}

/** Checks a decision without applying it: what an update validator calls. */
export function checkDecision(state: ReportState, cmd: DecideCommand): Refusal | null {
  const open = openStepOf(state);
  if ('ok' in open) return open;
  if (cmd.actorId === state.submitterId) {
    return refuse('decision.own_report', 'The submitter never decides their own report.');
  }
  if (!open.step.assignees.includes(cmd.actorId)) {
    return refuse(
      'decision.not_assignee',
      `Only an assignee of the open step "${open.step.name}" may decide it.`,
    );
  }
  const lapsed = roleLapsed(open.step, cmd.actorRole);
  if (lapsed) return lapsed;
  if (cmd.action === 'approve' && open.step.approvals.includes(cmd.actorId)) {
    return refuse('decision.already_approved', 'You approved this step already.');
  }
  return null;
}

/** approve / reject / return by an assignee of the open step. */
export function decide(state: ReportState, cmd: DecideCommand, now: string): Transition {
  const t = applyDecision(state, cmd, now);
  return cmd.comment ? withinTextBudget(t) : t;
}

function applyDecision(state: ReportState, cmd: DecideCommand, now: string): Transition {
  const refusal = checkDecision(state, cmd);
  if (refusal) return refusal;
  const index = state.currentStep as number;
  const step = state.steps[index] as StepState;
  const decision: Decision = {
    stepKey: step.key,
    revision: state.revision,
    actorId: cmd.actorId,
    action: cmd.action,
    comment: cmd.comment ?? null,
    at: now,
  };
  if (cmd.action === 'approve') {
    const approved = { ...step, approvals: [...step.approvals, cmd.actorId] };
    if (!isSatisfied(approved)) {
      return {
        ok: true,
        state: bump(
          {
            ...state,
            decisions: [...state.decisions, decision],
            steps: replaceStep(state.steps, index, approved),
          },
          now,
        ),
      };
    }
    return finishStep(state, index, approved, 'approved', decision, now);
  }
  return finishStep(state, index, step, OUTCOME_OF[cmd.action], decision, now);
}

/**
 * Closes the open step with `outcome` and records `decision`: an approval opens the next step
 * (or approves the report after the last); a rejection or return ends the review and skips the
 * rest. Escalations still open on the step are moot once it is decided.
 */
export function finishStep(
  state: ReportState,
  index: number,
  step: StepState,
  outcome: StepOutcome,
  decision: Decision,
  now: string,
): Accepted {
  const moot = {
    action: 'step_decided' as const,
    actorId: decision.actorId,
    justification: null,
    at: now,
    toUserId: null,
    extendBy: null,
  };
  const closed: StepState = { ...closeEscalations(step, moot), status: outcome, closedAt: now };
  const decisions = [...state.decisions, decision];
  if (outcome === 'approved') {
    const steps = replaceStep(state.steps, index, closed);
    const last = index === steps.length - 1;
    return {
      ok: true,
      state: bump(
        { ...state, decisions, steps, currentStep: null, status: last ? 'approved' : 'in_review' },
        now,
      ),
    };
  }
  return {
    ok: true,
    state: bump(
      {
        ...state,
        decisions,
        status: outcome === 'rejected' ? 'rejected' : 'returned',
        currentStep: null,
        steps: skipRest(replaceStep(state.steps, index, closed), now),
      },
      now,
    ),
  };
}

export interface ResubmitCommand {
  readonly actorId: string;
  /** `attachments`, when given, replace those of the returned revision; else they carry over. */
  readonly changes: Partial<ReportContent> & { readonly attachments?: readonly AttachmentInput[] };
}

/** The submitter sends a returned report again: a new revision, from step 1. */
export function resubmit(state: ReportState, cmd: ResubmitCommand, now: string): Transition {
  if (cmd.actorId !== state.submitterId) {
    return refuse('report.not_submitter', 'Only the submitter may resubmit the report.');
  }
  if (state.status !== 'returned') {
    return refuse(
      'report.not_returned',
      `Only a returned report can be resubmitted; this one is ${state.status}.`,
    );
  }
  const { attachments, ...content } = cmd.changes;
  const changes = Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined));
  const revision = state.revision + 1;
  const next = attachments ?? state.attachments.filter((a) => a.revision === state.revision);
  return withinTextBudget({
    ok: true,
    state: bump(
      {
        ...state,
        ...changes,
        attachments: [...state.attachments, ...next.map((a) => ({ ...a, revision }))],
        revision,
        status: 'in_review',
        currentStep: null,
        steps: state.line.map(waitingStep),
      },
      now,
    ),
  });
}

/** The submitter ends an unfinished (in review or returned) report. */
export function withdraw(state: ReportState, actorId: string, now: string): Transition {
  if (actorId !== state.submitterId)
    return refuse('report.not_submitter', 'Only the submitter may withdraw the report.');
  if (state.status !== 'in_review' && state.status !== 'returned') {
    return refuse('report.closed', `The report is ${state.status} already.`);
  }
  return {
    ok: true,
    state: bump({ ...state, status: 'withdrawn', currentStep: null, steps: skipRest(state.steps, now) }, now),
  };
}

export interface DelegateCommand {
  readonly actorId: string;
  /** As in `DecideCommand`: a demoted assignee hands nothing on. */
  readonly actorRole?: ProjectRole | null;
  readonly toUserId: string;
  /** The target's role on the project, looked up by the caller; `null` when not a member. */
  readonly toUserRole: ProjectRole | null;
}

/** The open step, if `actor` may hand it on (to someone yet to be named). */
function delegableStep(
  state: ReportState,
  actor: Pick<DelegateCommand, 'actorId' | 'actorRole'>,
): { index: number; step: StepState } | Refusal {
  const open = openStepOf(state);
  if ('ok' in open) return open;
  const { step } = open;
  if (!step.assignees.includes(actor.actorId)) {
    return refuse('delegation.not_assignee', 'Only an assignee of the open step may delegate it.');
  }
  if (roleLapsed(step, actor.actorRole)) {
    return refuse(
      'delegation.not_assignee',
      `You no longer act as ${step.assigneeRole} on this project, so the step is not yours to delegate.`,
    );
  }
  if (step.approvals.includes(actor.actorId)) {
    return refuse(
      'delegation.invalid_target',
      'You approved this step already; there is nothing left to delegate.',
    );
  }
  return open;
}

/** What one person may do to a report now: the same rules its commands are judged by. */
export interface AvailableActions {
  readonly decide: readonly DecisionAction[];
  readonly delegate: boolean;
  readonly resubmit: boolean;
  readonly withdraw: boolean;
}

/**
 * The actions `actorId` (acting as `actorRole` on the project now) may take on `state`: what the
 * console offers, so a page never shows a button whose command would be refused.
 */
export function availableActions(
  state: ReportState,
  actorId: string,
  actorRole: ProjectRole | null,
  now: string,
): AvailableActions {
  const actor = { actorId, actorRole };
  return {
    decide: DECISION_ACTIONS.filter((action) => checkDecision(state, { ...actor, action }) === null),
    delegate: !('ok' in delegableStep(state, actor)),
    resubmit: resubmit(state, { actorId, changes: {} }, now).ok,
    withdraw: withdraw(state, actorId, now).ok,
  };
}

/** An assignee hands the open step to another member of the same project and role. */
export function delegate(state: ReportState, cmd: DelegateCommand, now: string): Transition {
  const open = delegableStep(state, cmd);
  if ('ok' in open) return open;
  const { index, step } = open;
  if (cmd.toUserRole !== step.assigneeRole) {
    return refuse(
      'delegation.invalid_target',
      `The step can only go to another ${step.assigneeRole} of this project.`,
    );
  }
  if (cmd.toUserId === state.submitterId || step.assignees.includes(cmd.toUserId)) {
    return refuse(
      'delegation.invalid_target',
      'That person cannot take this step (submitter or assignee already).',
    );
  }
  if (step.delegations.length >= MAX_DELEGATIONS_PER_STEP) {
    return refuse(
      'delegation.invalid_target',
      `This step was delegated ${MAX_DELEGATIONS_PER_STEP} times already; decide it, or ask the escalation handler to reassign it.`,
    );
  }
  const assignees = step.assignees.map((a) => (a === cmd.actorId ? cmd.toUserId : a)).sort();
  return withinTextBudget({
    ok: true,
    state: bump(
      {
        ...state,
        steps: replaceStep(state.steps, index, {
          ...step,
          assignees,
          delegations: [...step.delegations, { fromUserId: cmd.actorId, toUserId: cmd.toUserId, at: now }],
        }),
      },
      now,
    ),
  });
}

/**
 * Refuses a change that adds free text or a revision once the report would pass
 * `MAX_REPORT_TEXT_BYTES`, so its workflow state stays inside Temporal's payload limits
 * (docs/limits.md). Changes without text are never refused here: a full report can still finish.
 */
export function withinTextBudget(t: Transition): Transition {
  if (!t.ok || jsonBytes(t.state) <= MAX_REPORT_TEXT_BYTES) return t;
  return refuse(
    'report.too_large',
    `The report has reached its size limit (${MAX_REPORT_TEXT_BYTES / 1024} KiB of text and history): decide without a comment, or withdraw it and submit a new one.`,
  );
}

/** Whether the report can still change (a workflow for a closed report may end). */
export function isClosed(state: Pick<ReportState, 'status'>): boolean {
  return state.status === 'approved' || state.status === 'rejected' || state.status === 'withdrawn';
}

export function replaceStep(steps: readonly StepState[], index: number, step: StepState): StepState[] {
  return steps.map((s, i) => (i === index ? step : s));
}

function skipRest(steps: readonly StepState[], now: string): StepState[] {
  return steps.map((s) =>
    s.status === 'waiting' || s.status === 'active'
      ? {
          ...closeEscalations(s, {
            action: 'step_closed',
            actorId: null,
            justification: null,
            at: now,
            toUserId: null,
            extendBy: null,
          }),
          status: 'skipped',
          closedAt: now,
        }
      : s,
  );
}

/** Marks every open escalation of the step resolved with `resolution` (each keeps its own id). */
export function closeEscalations(
  step: StepState,
  resolution: Omit<EscalationResolution, 'escalationId'> & { escalationId?: string },
): StepState {
  return {
    ...step,
    escalations: step.escalations.map((e) =>
      e.status === 'open'
        ? {
            ...e,
            status: 'resolved',
            resolution: { ...resolution, escalationId: resolution.escalationId ?? e.id },
          }
        : e,
    ),
  };
}

export function bump(state: ReportState, now: string): ReportState {
  return { ...state, updatedAt: now, version: state.version + 1 };
}

/**
 * Fills what a report state or submission recorded by an older version lacks (deadline fields,
 * timing), so a workflow replaying an old history, or continuing from an old state, works on a
 * complete state. New fields get the value that reproduces the old behaviour.
 */
export function upgradeState(state: ReportState): ReportState {
  const legacy = state as Omit<ReportState, 'timing' | 'kindSnapshot'> & {
    timing?: Timing;
    kindSnapshot?: KindSnapshot;
  };
  return {
    ...state,
    timing: legacy.timing ?? LEGACY_TIMING,
    kindSnapshot: legacy.kindSnapshot ?? legacyKind(state.kind),
    attachments: state.attachments ?? [],
    steps: state.steps.map((s) => ({
      ...s,
      generation: s.generation ?? 0,
      windowStart: s.windowStart ?? s.openedAt,
      windowSeconds: s.windowSeconds ?? parseIsoDuration(s.sla) ?? 0,
      reminders: s.reminders ?? [],
      escalations: s.escalations ?? [],
    })),
  };
}

export function upgradeSubmission(input: SubmitInput): SubmitInput {
  const legacy = input as Omit<SubmitInput, 'timing' | 'kindSnapshot'> & {
    timing?: Timing;
    kindSnapshot?: KindSnapshot;
  };
  return {
    ...input,
    timing: legacy.timing ?? LEGACY_TIMING,
    kindSnapshot: legacy.kindSnapshot ?? legacyKind(input.kind),
  };
}

/** Calendar time and no reminders: what reports started before deadlines existed had. */
const LEGACY_TIMING: Timing = { basis: { kind: 'calendar' }, reminderPoints: [] };
