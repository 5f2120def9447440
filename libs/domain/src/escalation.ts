/**
 * Deadlines, reminders and escalations of the open step, as pure functions over a report.
 * The workflow asks for the next moment something is due, sleeps until then (or until the
 * state changes), and fires what is due. Handlers resolve escalations through the same kind of
 * transition as a decision: a new state or a typed refusal.
 */
import { addDuration, uncoveredDeadline } from './deadlines';
import { durationProblem, parseIsoDuration } from './duration';
import { MAX_EXTENSIONS_PER_STEP, MIN_EXTENSION_SECONDS } from './limits';
import {
  bump,
  canBeApproved,
  closeEscalations,
  finishStep,
  OUTCOME_OF,
  openStepOf,
  refuse,
  replaceStep,
  type Decision,
  type EscalationState,
  type ReportState,
  type ResolveAction,
  type StepState,
  type Transition,
  withinTextBudget,
} from './report';
import type { ProjectRole } from './vocabulary';

export type TimedEvent =
  | { readonly at: string; readonly kind: 'reminder'; readonly fraction: number }
  | { readonly at: string; readonly kind: 'escalation'; readonly level: number };

/** What fired, for the notifications the workflow sends. */
export type Fired =
  | {
      readonly kind: 'reminder';
      readonly stepKey: string;
      readonly assignees: readonly string[];
      readonly dueAt: string;
    }
  | { readonly kind: 'escalation'; readonly escalation: EscalationState };

function dueEvents(state: ReportState): TimedEvent[] {
  const open = openStepOf(state);
  if ('ok' in open) return [];
  const { step } = open;
  if (!step.dueAt || !step.windowStart) return [];
  const { basis, reminderPoints } = state.timing;
  const events: TimedEvent[] = [];
  for (const fraction of reminderPoints) {
    if (step.reminders.some((r) => r.generation === step.generation && r.fraction === fraction)) continue;
    const at = addDuration(step.windowStart, fraction * step.windowSeconds, basis);
    if (at !== null && at < step.dueAt) events.push({ at, kind: 'reminder', fraction });
  }
  // Levels open in order: the next one only after every earlier one opened in this generation.
  const opened = step.escalations.filter(
    (e) => e.generation === step.generation && e.reason !== 'unassigned',
  ).length;
  const level = step.escalation[opened];
  // A level whose moment lies past the working calendar's coverage waits until it is extended.
  const levelAt = level ? addDuration(step.dueAt, parseIsoDuration(level.after) ?? 0, basis) : null;
  if (levelAt !== null) events.push({ at: levelAt, kind: 'escalation', level: opened });
  return events.sort((a, b) => a.at.localeCompare(b.at));
}

/** The next moment something is due on the open step, or `null` when nothing is scheduled. */
export function nextTimedEvent(state: ReportState): TimedEvent | null {
  return dueEvents(state)[0] ?? null;
}

/** Fires everything due at `now`; `newId` names new escalations (deterministic in a workflow). */
export function fireDueEvents(
  state: ReportState,
  now: string,
  newId: () => string,
): { state: ReportState; fired: Fired[] } {
  let s = state;
  const fired: Fired[] = [];
  for (let guard = 0; guard < 100; guard++) {
    const next = nextTimedEvent(s);
    if (!next || next.at > now) break;
    const index = s.currentStep as number;
    const step = s.steps[index] as StepState;
    let changed: StepState;
    if (next.kind === 'reminder') {
      changed = {
        ...step,
        reminders: [...step.reminders, { generation: step.generation, fraction: next.fraction, at: now }],
      };
      fired.push({
        kind: 'reminder',
        stepKey: step.key,
        assignees: step.assignees,
        dueAt: step.dueAt as string,
      });
    } else {
      const escalation: EscalationState = {
        id: newId(),
        stepKey: step.key,
        revision: s.revision,
        level: next.level,
        toRole: (step.escalation[next.level] as { toRole: ProjectRole }).toRole,
        generation: step.generation,
        dueAt: step.dueAt as string,
        openedAt: now,
        status: 'open',
        resolution: null,
      };
      changed = { ...step, escalations: [...step.escalations, escalation] };
      fired.push({ kind: 'escalation', escalation });
    }
    s = bump({ ...s, steps: replaceStep(s.steps, index, changed) }, now);
  }
  return { state: s, fired };
}

export interface ResolveCommand {
  readonly escalationId: string;
  readonly actorId: string;
  /** The actor's role on the project, looked up by the caller. */
  readonly actorRole: ProjectRole | null;
  readonly action: ResolveAction;
  readonly justification: string;
  readonly toUserId?: string | null;
  readonly toUserRole?: ProjectRole | null;
  /** ISO 8601 duration, counted in the report's time basis. */
  readonly extendBy?: string | null;
}

/** Finds an escalation of any step of the current revision. */
export function findEscalation(state: ReportState, id: string): EscalationState | undefined {
  for (const step of state.steps) {
    const found = step.escalations.find((e) => e.id === id);
    if (found) return found;
  }
  return undefined;
}

/**
 * A handler of the escalation's role resolves it: reassign the step, extend its deadline, or
 * decide on its behalf. Every open escalation of the step closes with it.
 */
export function resolveEscalation(state: ReportState, cmd: ResolveCommand, now: string): Transition {
  return withinTextBudget(applyResolution(state, cmd, now));
}

function applyResolution(state: ReportState, cmd: ResolveCommand, now: string): Transition {
  const escalation = findEscalation(state, cmd.escalationId);
  if (!escalation) return refuse('escalation.not_found', 'No such escalation on this report.');
  // Who may act first: someone else learns nothing of its state.
  if (cmd.actorRole !== escalation.toRole) {
    return refuse(
      'escalation.not_handler',
      `Only a ${escalation.toRole} of this project may resolve this escalation.`,
    );
  }
  if (escalation.status !== 'open')
    return refuse('escalation.resolved', 'The escalation was resolved already.');
  if (!cmd.justification.trim()) return refuse('escalation.invalid', 'A justification is required.');
  const open = openStepOf(state);
  if ('ok' in open) return open;
  const { index, step } = open;
  const base = {
    actorId: cmd.actorId,
    justification: cmd.justification,
    at: now,
    escalationId: escalation.id,
    toUserId: cmd.toUserId ?? null,
    extendBy: cmd.extendBy ?? null,
  };

  switch (cmd.action) {
    case 'reassign': {
      if (!cmd.toUserId || cmd.toUserRole !== step.assigneeRole) {
        return refuse(
          'escalation.invalid',
          `The step can only be reassigned to a ${step.assigneeRole} of this project.`,
        );
      }
      if (cmd.toUserId === state.submitterId)
        return refuse('escalation.invalid', 'The submitter cannot decide their own report.');
      const reassigned: StepState = {
        ...closeEscalations(step, { ...base, action: 'reassign' }),
        assignees: [cmd.toUserId],
        approvals: [],
      };
      return {
        ok: true,
        state: bump({ ...state, steps: replaceStep(state.steps, index, reassigned) }, now),
      };
    }
    case 'extend': {
      const problem = durationProblem('extendBy', cmd.extendBy, true, MIN_EXTENSION_SECONDS / 60);
      const seconds = cmd.extendBy ? parseIsoDuration(cmd.extendBy) : undefined;
      if (problem || seconds === undefined || !step.dueAt) {
        return refuse('escalation.invalid', `${problem ?? 'extendBy is required to extend'}.`);
      }
      if (step.generation >= MAX_EXTENSIONS_PER_STEP) {
        return refuse(
          'escalation.invalid',
          `The deadline of this step was extended ${MAX_EXTENSIONS_PER_STEP} times already; reassign it or decide on its behalf.`,
        );
      }
      const dueAt = addDuration(step.dueAt, seconds, state.timing.basis);
      if (dueAt === null && state.timing.basis.kind === 'working')
        return refuse('escalation.invalid', uncoveredDeadline(state.timing.basis.calendar));
      const extended: StepState = {
        ...closeEscalations(step, { ...base, action: 'extend' }),
        dueAt,
        generation: step.generation + 1,
        windowStart: now,
        windowSeconds: seconds,
      };
      return {
        ok: true,
        state: bump({ ...state, steps: replaceStep(state.steps, index, extended) }, now),
      };
    }
    case 'approve':
    case 'reject':
    case 'return': {
      const decision: Decision = {
        stepKey: step.key,
        revision: state.revision,
        actorId: cmd.actorId,
        action: cmd.action,
        comment: cmd.justification,
        at: now,
        onBehalf: { escalationId: escalation.id, justification: cmd.justification },
      };
      const resolved = closeEscalations(step, { ...base, action: cmd.action });
      return finishStep(state, index, resolved, OUTCOME_OF[cmd.action], decision, now);
    }
  }
}

/**
 * Takes off the open step every assignee who no longer acts in its role (`members` are those who
 * do, as the caller resolved them now). Assignees are never added: a step belongs to who held the
 * role when it opened. When the assignees left can no longer approve the step, it escalates at
 * once to its first escalation role (the agency head when it has none), so it cannot wait unseen.
 * With `stranded`, that holds also for a step that opened so (nobody holds its role, or fewer than
 * its quorum do), and a quorum counts: histories recorded before replay without it.
 * Returns `null` when nothing changes.
 */
export function reviseAssignees(
  state: ReportState,
  members: readonly string[],
  now: string,
  newId: () => string,
  stranded = false,
): { state: ReportState; fired: Fired[] } | null {
  const open = openStepOf(state);
  if ('ok' in open) return null;
  const { index, step } = open;
  const assignees = step.assignees.filter((a) => members.includes(a));
  const removed = assignees.length !== step.assignees.length;
  if (!removed && !stranded) return null;
  let revised: StepState = { ...step, assignees };
  const fired: Fired[] = [];
  const canAct = stranded ? canBeApproved(revised) : assignees.some((a) => !step.approvals.includes(a));
  const alreadyRaised = step.escalations.some((e) => e.status === 'open' && e.reason === 'unassigned');
  if (!canAct && !alreadyRaised) {
    const escalation: EscalationState = {
      id: newId(),
      reason: 'unassigned',
      stepKey: step.key,
      revision: state.revision,
      level: 0,
      toRole: step.escalation[0]?.toRole ?? 'agency_head',
      generation: step.generation,
      dueAt: step.dueAt ?? now,
      openedAt: now,
      status: 'open',
      resolution: null,
    };
    revised = { ...revised, escalations: [...revised.escalations, escalation] };
    fired.push({ kind: 'escalation', escalation });
  } else if (!removed) return null;
  return { state: bump({ ...state, steps: replaceStep(state.steps, index, revised) }, now), fired };
}
