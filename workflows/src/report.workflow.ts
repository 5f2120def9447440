/**
 * One report's approval line, the source of truth for its state. Decisions arrive as Updates:
 * each validator runs the domain transition on the current state, so a refusal is synchronous,
 * explains itself and leaves nothing in history. Accepted commands are applied one at a time,
 * the next step's assignees are resolved, and the new state is projected into the read model
 * before the update returns, so the caller reads its own write.
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
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  decideUpdate,
  delegateUpdate,
  PROCESSED_KEYS_CARRIED,
  reportStateQuery,
  resubmitUpdate,
  SEARCH_ATTRIBUTES,
  submittedUpdate,
  withdrawUpdate,
  type ReportActivities,
  type ReportEvent,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import {
  decide,
  delegate,
  isClosed,
  openStep,
  resubmit,
  submit,
  withdraw,
  type Refusal,
  type ReportState,
  type Transition,
} from '@openccs/domain';

const { resolveAssignees, projectReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const now = (): string => new Date().toISOString();

export async function reportWorkflow(input: ReportWorkflowInput): Promise<ReportState> {
  let state: ReportState = input.carried?.state ?? submit(input.submission, now()).state;
  const processed = new Set<string>(input.carried?.processedKeys ?? []);
  let ready = input.carried !== undefined;
  let busy = false;

  /** Opens step `index` (if any) with its role's members, then publishes the state. */
  const settle = async (opens: number | null, event: ReportEvent): Promise<void> => {
    if (opens !== null) {
      const step = state.steps[opens];
      if (step)
        state = openStep(state, opens, await resolveAssignees(state.projectId, step.assigneeRole), now());
    }
    const current = state.currentStep === null ? undefined : state.steps[state.currentStep];
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.projectId, value: state.projectId },
      { key: SEARCH_ATTRIBUTES.reportKind, value: state.kind },
      { key: SEARCH_ATTRIBUTES.reportStatus, value: state.status },
      { key: SEARCH_ATTRIBUTES.currentStep, value: current?.key ?? '' },
      { key: SEARCH_ATTRIBUTES.assignees, value: [...(current?.assignees ?? [])] },
    ]);
    await projectReport(state, event);
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
          await settle(t.opens, {
            action,
            actorId: args.actorId,
            requestId: args.requestId,
            details: details(args, before),
          });
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

  if (!ready) {
    await settle(0, {
      action: 'report.submit',
      actorId: state.submitterId,
      requestId: input.requestId,
      details: { kind: state.kind, lineVersion: state.lineVersion },
    });
    ready = true;
  }

  // Runs until the report is closed; continues as new when the history grows long.
  await condition(
    () => (isClosed(state) || workflowInfo().continueAsNewSuggested) && !busy && allHandlersFinished(),
  );
  if (!isClosed(state)) {
    await continueAsNew<typeof reportWorkflow>({
      submission: input.submission,
      requestId: input.requestId,
      carried: { state, processedKeys: [...processed].slice(-PROCESSED_KEYS_CARRIED) },
    });
  }
  return state;
}
