/**
 * One report's approval line, the source of truth for its state. Decisions arrive as Updates:
 * each validator runs the domain transition on the current state, so a refusal is synchronous,
 * explains itself and leaves nothing in history. Accepted commands are applied one at a time,
 * the next step's assignees are resolved, and the new state is projected into the read model
 * before the update returns, so the caller reads its own write.
 *
 * Between commands the workflow sleeps until the open step's next reminder or escalation level
 * is due (deadlines are workflow state: extending one re-arms the timer, because the wait is
 * recomputed after every change).
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
  decide,
  delegate,
  fireDueEvents,
  isClosed,
  nextTimedEvent,
  notificationsFor,
  openStep,
  resolveEscalation,
  resubmit,
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

const { resolveAssignees, projectReport, notify, publishStep } = proxyActivities<
  ReportActivities & NotificationActivities & DisclosureActivities
>({
  // Quick database work: a short timeout means an attempt lost with a crashed worker is retried
  // within seconds, not half a minute, while the report's next command waits for it.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const now = (): string => new Date().toISOString();

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
  let busy = false;

  /**
   * Opens step `index` (if any) with its role's members, publishes the state (search attributes,
   * read model with its audit event), then tells the people concerned.
   */
  const settle = async (
    opens: number | null,
    event: ReportEvent,
    before: ReportState | null,
    fired: readonly Fired[] = [],
  ): Promise<void> => {
    if (opens !== null) {
      const step = state.steps[opens];
      if (step)
        state = openStep(state, opens, await resolveAssignees(state.projectId, step.assigneeRole), now());
    }
    const current = state.currentStep === null ? undefined : state.steps[state.currentStep];
    if (input.indexInVisibility !== false) {
      upsertSearchAttributes([
        { key: SEARCH_ATTRIBUTES.projectId, value: state.projectId },
        { key: SEARCH_ATTRIBUTES.reportKind, value: state.kind },
        { key: SEARCH_ATTRIBUTES.reportStatus, value: state.status },
        { key: SEARCH_ATTRIBUTES.currentStep, value: current?.key ?? '' },
        { key: SEARCH_ATTRIBUTES.assignees, value: [...(current?.assignees ?? [])] },
      ]);
    }
    await projectReport(state, event);
    // Every step this change finished goes to the public log (once: the activity is keyed).
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
  };

  /** A refusal as the failure the caller receives: its type is the domain's refusal code. */
  const refusal = (t: Refusal): ApplicationFailure =>
    ApplicationFailure.create({ type: t.code, message: t.reason, nonRetryable: true });

  /** Registers a command: validated synchronously, applied one at a time, each request key once. */
  function command<A extends { requestKey: string; requestId: string | null; actorId: string }>(
    update: UpdateDefinition<ReportState, [A]>,
    action: ReportEvent['action'],
    transition: (s: ReportState, args: A, at: string) => Transition,
    details: (args: A, before: ReportState) => Record<string, unknown>,
  ): void {
    setHandler(
      update,
      async (args) => {
        await condition(() => ready && !busy);
        if (processed.has(args.requestKey)) return state;
        busy = true;
        try {
          // Checked again: another command may have changed the state since validation.
          const t = transition(state, args, now());
          if (!t.ok) throw refusal(t);
          const before = state;
          state = t.state;
          processed.add(args.requestKey);
          await settle(
            t.opens,
            { action, actorId: args.actorId, requestId: args.requestId, details: details(args, before) },
            before,
          );
          return state;
        } finally {
          busy = false;
        }
      },
      {
        validator: (args) => {
          if (!ready || busy || processed.has(args.requestKey)) return; // the handler decides then
          const t = transition(state, args, now());
          if (!t.ok) throw refusal(t);
        },
      },
    );
  }

  setHandler(reportStateQuery, () => state);
  setHandler(submittedUpdate, async () => {
    await condition(() => ready);
    return state;
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
    await settle(
      0,
      {
        action: 'report.submit',
        actorId: state.submitterId,
        requestId: input.requestId,
        details: { kind: state.kind, lineVersion: state.lineVersion },
      },
      null,
    );
    ready = true;
  }

  // Until the report is closed: sleep until the next reminder or escalation is due, or until a
  // command changes the state (which may move or remove that moment), then fire what is due.
  for (;;) {
    const next = deadlinesAndNotifications ? nextTimedEvent(state) : null;
    const version = state.version;
    const wake = () => state.version !== version || isClosed(state) || workflowInfo().continueAsNewSuggested;
    const changed = next
      ? await condition(wake, Math.max(1, Date.parse(next.at) - Date.now()))
      : (await condition(wake), true);
    if (isClosed(state) || workflowInfo().continueAsNewSuggested) break;
    if (changed) continue;
    await condition(() => !busy);
    busy = true;
    try {
      const before = state;
      const { state: after, fired } = fireDueEvents(state, now(), uuid4);
      if (fired.length > 0) {
        state = after;
        await settle(
          null,
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
      }
    } finally {
      busy = false;
    }
  }

  // Closed, or asked to continue as new: let running commands finish first.
  await condition(() => !busy && allHandlersFinished());
  if (!isClosed(state)) {
    await continueAsNew<typeof reportWorkflow>({
      submission: input.submission,
      requestId: input.requestId,
      ...(input.indexInVisibility !== undefined ? { indexInVisibility: input.indexInVisibility } : {}),
      carried: { state, processedKeys: [...processed].slice(-PROCESSED_KEYS_CARRIED) },
    });
  }
  return state;
}
