/**
 * One report's approval line, the source of truth for its state. Decisions arrive as Updates:
 * each validator runs the domain transition on the current state, so a refusal is synchronous,
 * explains itself and leaves nothing in history. Accepted commands are applied one at a time,
 * the next step's assignees are resolved, and the new state is projected into the read model
 * before the update returns, so the caller reads its own write.
 *
 * Between commands the workflow sleeps until the open step's next reminder or escalation level
 * is due (deadlines are workflow state: extending one re-arms the timer, because the wait is
 * recomputed after every change), or until a membership change asks it to re-check who may
 * decide the open step.
 *
 * No input may wedge it. The API's edge admits only what every layer accepts; behind it, a
 * change the read model refuses for good (a non-retryable activity failure) is undone and the
 * command refused, and a failure after the change was stored is set aside as a reported problem
 * for an operator (GET /api/v1/admin/stuck), never retried forever.
 *
 * Versioning: this code replays recorded histories (tests/fixtures/histories). A change that
 * alters the commands a replay produces must be guarded with `patched('<change-id>')` — see
 * docs/workflow-versioning.md.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import {
  assigneesChangedSignal,
  decideUpdate,
  delegateUpdate,
  PROCESSED_KEYS_CARRIED,
  reportStateQuery,
  resolveEscalationUpdate,
  resubmitUpdate,
  SEARCH_ATTRIBUTES,
  submittedUpdate,
  withdrawUpdate,
  webhookDeliveryWorkflowId,
  type DisclosureActivities,
  type NotificationActivities,
  type ReportActivities,
  type ReportEvent,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import {
  canBeApproved,
  decide,
  delegate,
  fireDueEvents,
  isClosed,
  MAX_ROLE_MEMBERS,
  nextTimedEvent,
  notificationsFor,
  openStep,
  openStepOf,
  resolveEscalation,
  resubmit,
  reviseAssignees,
  submit,
  upgradeState,
  upgradeSubmission,
  withdraw,
  type Fired,
  type Refusal,
  type ReportState,
  type Transition,
} from '@openccs/domain';
import { webhookDeliveryWorkflow } from './webhook-delivery.workflow';

const { resolveAssignees, projectReport, notify, publishStep, reportProblem } = proxyActivities<
  ReportActivities & NotificationActivities & DisclosureActivities
>({
  // Quick database work: a short timeout means an attempt lost with a crashed worker is retried
  // within seconds, not half a minute, while the report's next command waits for it.
  startToCloseTimeout: '10 seconds',
  // Attempts are not bounded, on purpose: an outage (PostgreSQL restarting) must delay a decision,
  // never lose it. What retrying cannot fix fails non-retryably at once (activities/src/failures.ts)
  // and is handled below; attempts past a threshold are reported to readiness and the stuck list.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const now = (): string => new Date().toISOString();

/** The failure a caller receives when the change could not be stored: nothing changed. */
const UNPROCESSABLE = 'report.unprocessable';

function describe(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  const message = err instanceof Error ? err.message : String(err);
  return cause instanceof Error && cause.message ? `${message}: ${cause.message}` : message;
}

/**
 * One change at a time: commands, deadlines and re-checks never interleave. `condition` wakes
 * every waiter whose predicate holds in the same activation, so the lock is taken only after
 * checking again, synchronously, that nobody else took it first (`serialized`, a patch: histories
 * recorded before it replay as they ran).
 */
class Exclusive {
  private busy = false;

  constructor(private readonly serialized: boolean) {}

  get idle(): boolean {
    return !this.busy;
  }

  async run<T>(ready: () => boolean, body: () => Promise<T>): Promise<T> {
    do await condition(() => ready() && !this.busy);
    while (this.serialized && !(ready() && !this.busy));
    this.busy = true;
    try {
      return await body();
    } finally {
      this.busy = false;
    }
  }
}

export async function reportWorkflow(input: ReportWorkflowInput): Promise<ReportState> {
  let state: ReportState = upgradeState(
    input.carried?.state ?? submit(upgradeSubmission(input.submission), now()).state,
  );
  // Histories recorded before deadlines existed replay without timers and notifications.
  const deadlinesAndNotifications = patched('deadlines-and-notifications');
  // Histories recorded before the public log replay without publishing.
  const disclosureLog = patched('disclosure-log');
  const processed = new Set<string>(input.carried?.processedKeys ?? []);
  let ready = input.carried !== undefined;
  let submitFailure: ApplicationFailure | undefined;
  let recheck = input.carried?.recheckAssignees ?? false;
  // Histories recorded before commands were strictly serialized replay without the re-check.
  const lock = new Exclusive(patched('serialized-commands'));
  // Histories recorded before a step that opened with too few assignees escalated replay as they ran.
  const strandedEscalate = patched('stranded-steps-escalate');

  /** Keeps the search attributes current: what the visibility store knows of the report. */
  const index = (s: ReportState): void => {
    if (input.indexInVisibility === false) return;
    const current = s.currentStep === null ? undefined : s.steps[s.currentStep];
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.projectId, value: s.projectId },
      { key: SEARCH_ATTRIBUTES.reportKind, value: s.kind },
      { key: SEARCH_ATTRIBUTES.reportStatus, value: s.status },
      { key: SEARCH_ATTRIBUTES.currentStep, value: current?.key ?? '' },
      // Bounded (MAX_ROLE_MEMBERS), so the attribute stays inside the server's size limit.
      { key: SEARCH_ATTRIBUTES.assignees, value: [...(current?.assignees ?? [])].slice(0, MAX_ROLE_MEMBERS) },
    ]);
  };

  /**
   * Opens step `opens` (if any) with its role's members, then stores the state: search
   * attributes, and the read model with its audit event. Throws when it could not be stored.
   */
  const store = async (opens: number | null, event: ReportEvent): Promise<void> => {
    if (opens !== null) {
      const step = state.steps[opens];
      if (step) {
        state = openStep(state, opens, await resolveAssignees(state.projectId, step.assigneeRole), now());
        // Nobody (or too few for its quorum) can approve it: the re-check escalates it once stored.
        const opened = state.steps[opens];
        if (strandedEscalate && opened && !canBeApproved(opened)) recheck = true;
      }
    }
    index(state);
    await projectReport(state, event);
  };

  /**
   * What follows a stored change: every step it finished goes to the public log (once: the
   * activity is keyed), then the people concerned are told. The change stands whatever happens
   * here; a failure is reported for an operator and the workflow carries on.
   */
  const announce = async (before: ReportState | null, fired: readonly Fired[]): Promise<void> => {
    try {
      if (disclosureLog && before && before.revision === state.revision) {
        for (const [i, step] of state.steps.entries()) {
          const finished =
            step.status === 'approved' || step.status === 'rejected' || step.status === 'returned';
          if (finished && before.steps[i]?.status === 'active') await publishStep(state, step.key);
        }
      }
      const notifications = deadlinesAndNotifications ? notificationsFor(before, state, fired) : [];
      if (notifications.length === 0) return;
      const { deliveryIds, retryInitialSeconds } = await notify(notifications);
      for (const deliveryId of deliveryIds) {
        // Started, never awaited, and left running if this workflow ends or continues as new.
        await startChild(webhookDeliveryWorkflow, {
          workflowId: webhookDeliveryWorkflowId(deliveryId),
          args: [{ deliveryId, retryInitialSeconds }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }).catch((err: unknown) => {
          // Already started by an earlier attempt of this same change: nothing more to do.
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        });
      }
    } catch (err) {
      await reportProblem(state.reportId, 'announce', describe(err));
    }
  };

  /** A change the clock or a membership made: stored, or reported when it cannot be. */
  const settleUnattended = async (event: ReportEvent, before: ReportState, fired: readonly Fired[]) => {
    try {
      await store(null, event);
    } catch (err) {
      // The state stays (deadlines that passed are facts); the read model lags until repaired.
      await reportProblem(state.reportId, 'projectReport', describe(err));
      return;
    }
    await announce(before, fired);
  };

  /** A refusal as the failure the caller receives: its type is the domain's refusal code. */
  const refusal = (t: Refusal): ApplicationFailure =>
    ApplicationFailure.create({ type: t.code, message: t.reason, nonRetryable: true });

  const unprocessable = (err: unknown): ApplicationFailure =>
    ApplicationFailure.create({
      type: UNPROCESSABLE,
      message: `The change could not be stored, so nothing changed: ${describe(err)}`,
      nonRetryable: true,
    });

  /** The transition, with a bug or an unforeseen input turned into a refusal instead of a failed task. */
  const attempt = <A>(
    transition: (s: ReportState, args: A, at: string) => Transition,
    args: A,
  ): Transition => {
    try {
      return transition(state, args, now());
    } catch (err) {
      throw err instanceof ApplicationFailure ? err : unprocessable(err);
    }
  };

  /** Registers a command: validated synchronously, applied one at a time, each request key once. */
  function command<A extends { requestKey: string; requestId: string | null; actorId: string }>(
    update: UpdateDefinition<ReportState, [A]>,
    action: ReportEvent['action'],
    transition: (s: ReportState, args: A, at: string) => Transition,
    details: (args: A, before: ReportState) => Record<string, unknown>,
  ): void {
    setHandler(
      update,
      (args) =>
        lock.run(
          () => ready,
          async () => {
            if (processed.has(args.requestKey)) return state;
            // Checked again: another command may have changed the state since validation.
            const t = attempt(transition, args);
            if (!t.ok) throw refusal(t);
            const before = state;
            state = t.state;
            try {
              await store(t.opens, {
                action,
                actorId: args.actorId,
                requestId: args.requestId,
                details: details(args, before),
              });
            } catch (err) {
              // Refused for good by the read model: undo, so the report is as it was.
              state = before;
              index(state);
              throw unprocessable(err);
            }
            processed.add(args.requestKey);
            await announce(before, []);
            return state;
          },
        ),
      {
        validator: (args) => {
          if (!ready || !lock.idle || processed.has(args.requestKey)) return; // the handler decides then
          const t = attempt(transition, args);
          if (!t.ok) throw refusal(t);
        },
      },
    );
  }

  setHandler(reportStateQuery, () => state);
  setHandler(submittedUpdate, async () => {
    await condition(() => ready || submitFailure !== undefined);
    if (submitFailure) throw submitFailure;
    return state;
  });
  setHandler(assigneesChangedSignal, () => {
    recheck = true;
  });
  const openStepKey = (s: ReportState) =>
    s.currentStep === null ? null : (s.steps[s.currentStep]?.key ?? null);
  command(decideUpdate, 'report.decide', decide, (a, before) => ({
    decision: a.action,
    stepKey: openStepKey(before),
  }));
  command(delegateUpdate, 'report.delegate', delegate, (a, before) => ({
    toUserId: a.toUserId,
    stepKey: openStepKey(before),
  }));
  command(resubmitUpdate, 'report.resubmit', resubmit, (a) => ({
    changed: Object.keys(a.changes),
    comment: a.comment,
  }));
  command(
    withdrawUpdate,
    'report.withdraw',
    (s, a, at) => withdraw(s, a.actorId, at),
    () => ({}),
  );
  command(resolveEscalationUpdate, 'report.escalation_resolve', resolveEscalation, (a, before) => ({
    escalationId: a.escalationId,
    resolution: a.action,
    justification: a.justification,
    toUserId: a.toUserId ?? null,
    extendBy: a.extendBy ?? null,
    stepKey: openStepKey(before),
  }));

  if (!ready) {
    try {
      await store(0, {
        action: 'report.submit',
        actorId: state.submitterId,
        requestId: input.requestId,
        details: { kind: state.kind, lineVersion: state.lineVersion },
      });
    } catch (err) {
      // The submission itself cannot be stored: refuse it, and end (there is no report).
      submitFailure = unprocessable(err);
      await condition(allHandlersFinished);
      return state;
    }
    await announce(null, []);
    ready = true;
  }

  /** Takes off the open step whoever no longer acts in its role (a membership changed). */
  const recheckAssignees = () =>
    lock.run(
      () => true,
      async () => {
        recheck = false;
        const open = openStepOf(state);
        if ('ok' in open) return;
        const members = await resolveAssignees(state.projectId, open.step.assigneeRole);
        const revised = reviseAssignees(state, members, now(), uuid4, strandedEscalate);
        if (!revised) return;
        const before = state;
        state = revised.state;
        await settleUnattended(
          {
            action: 'report.assignees_revised',
            actorId: null,
            requestId: null,
            details: {
              stepKey: open.step.key,
              removed: before.steps[open.index]?.assignees.filter((a) => !members.includes(a)),
            },
          },
          before,
          revised.fired,
        );
      },
    );

  // Until the report is closed: sleep until the next reminder or escalation is due, or until a
  // command changes the state (which may move or remove that moment), then fire what is due.
  for (;;) {
    const next = deadlinesAndNotifications ? nextTimedEvent(state) : null;
    const version = state.version;
    const wake = () =>
      state.version !== version || isClosed(state) || recheck || workflowInfo().continueAsNewSuggested;
    const changed = next
      ? await condition(wake, Math.max(1, Date.parse(next.at) - Date.now()))
      : (await condition(wake), true);
    if (recheck && !isClosed(state)) {
      await recheckAssignees();
      continue;
    }
    if (isClosed(state) || workflowInfo().continueAsNewSuggested) break;
    if (changed) continue;
    await lock.run(
      () => true,
      async () => {
        const before = state;
        const { state: after, fired } = fireDueEvents(state, now(), uuid4);
        if (fired.length === 0) return;
        state = after;
        await settleUnattended(
          {
            action: 'report.deadline',
            actorId: null,
            requestId: null,
            details: {
              fired: fired.map((f) =>
                f.kind === 'reminder' ? 'reminder' : `escalation:${f.escalation.toRole}`,
              ),
            },
          },
          before,
          fired,
        );
      },
    );
  }

  // Closed, or asked to continue as new: let running commands finish first.
  await condition(() => lock.idle && allHandlersFinished());
  if (!isClosed(state)) {
    await continueAsNew<typeof reportWorkflow>({
      submission: input.submission,
      requestId: input.requestId,
      ...(input.indexInVisibility !== undefined ? { indexInVisibility: input.indexInVisibility } : {}),
      carried: {
        state,
        processedKeys: [...processed].slice(-PROCESSED_KEYS_CARRIED),
        ...(recheck ? { recheckAssignees: true } : {}),
      },
    });
  }
  return state;
}
