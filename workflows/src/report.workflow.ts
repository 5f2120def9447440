/**
 * One report's approval line, the source of truth for its state. Decisions arrive as Updates:
 * each validator runs the domain transition on the current state, so a refusal is synchronous,
 * explains itself and leaves nothing in history. Accepted commands are applied one at a time,
 * the next step's assignees are resolved, and the new state is projected into the read model
 * before the update returns, so the caller reads its own write. That work runs as local
 * activities, inside the one workflow task that applies the change (see `local` below).
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
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  assigneesChangedSignal,
  PROCESSED_KEYS_CARRIED,
  REPORT_COMMANDS,
  reportStateQuery,
  SEARCH_ATTRIBUTES,
  submittedUpdate,
  webhookDeliveryWorkflowId,
  type DisclosureActivities,
  type NotificationActivities,
  type ReportActivities,
  type ReportCommand,
  type ReportEvent,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import {
  canBeApproved,
  effectsOf,
  fireDueEvents,
  isClosed,
  MAX_ROLE_MEMBERS,
  nextTimedEvent,
  openStep,
  openStepOf,
  refuse,
  reviseAssignees,
  submit,
  upgradeState,
  upgradeSubmission,
  type Effects,
  type Fired,
  type Refusal,
  type ReportState,
  type Transition,
} from '@openccs/domain';
import { webhookDeliveryWorkflow } from './webhook-delivery.workflow';

type StepActivities = ReportActivities & NotificationActivities & DisclosureActivities;

// Attempts are not bounded, on purpose: an outage (PostgreSQL restarting) must delay a decision,
// never lose it. What retrying cannot fix fails non-retryably at once (activities/src/failures.ts)
// and is handled below; attempts past a threshold are reported to readiness and the stuck list.
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

/** Histories from before 'decisions-in-one-task': each activity a round trip through the server. */
const remote = proxyActivities<StepActivities>({
  // Quick database work: a short timeout means an attempt lost with a crashed worker is retried
  // within seconds, not half a minute, while the report's next command waits for it.
  startToCloseTimeout: '10 seconds',
  retry: RETRY,
});

/**
 * The same activities run as local activities: inside the workflow task that applies the change,
 * so a decision is one workflow task (about 5 round trips through the server fewer). Their
 * results are recorded as markers when the task completes; if the worker dies before that, the
 * next worker runs the change again from the history (docs/architecture.md, "one workflow task
 * per change"): every one of them is keyed or adopts what the lost attempt stored.
 */
const local = proxyLocalActivities<StepActivities>({
  // Milliseconds of database work; a hung connection gives up well before anyone waits long.
  startToCloseTimeout: '5 seconds',
  retry: RETRY,
  // Backoffs longer than this wait on a durable timer, so an outage does not hold the workflow
  // task open (the SDK keeps a task alive past its timeout while local activities run).
  localRetryThreshold: '10 seconds',
});

const now = (): string => new Date().toISOString();

function describe(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  const message = err instanceof Error ? err.message : String(err);
  return cause instanceof Error && cause.message ? `${message}: ${cause.message}` : message;
}

/** A refusal as the failure the caller receives: its type is the domain's refusal code. */
const refusal = (t: Refusal): ApplicationFailure =>
  ApplicationFailure.create({ type: t.code, message: t.reason, nonRetryable: true });

/** The failure a caller receives when the change could not be stored: nothing changed. */
const unprocessable = (err: unknown): ApplicationFailure =>
  refusal(
    refuse('report.unprocessable', `The change could not be stored, so nothing changed: ${describe(err)}`),
  );

/** Arguments every command carries. */
type CommandArgs = {
  readonly requestKey: string;
  readonly requestId: string | null;
  readonly actorId: string;
};

/**
 * One run of a report's workflow: its state and the one lock every change takes. The workflow
 * function below only wires it to Temporal; what a change sets in motion is `effectsOf`'s
 * (libs/domain), which `settle` carries out.
 */
class ReportRun {
  state: ReportState;
  /** The first step is open and stored: commands may be applied. */
  ready: boolean;
  /** A membership changed: the open step's assignees must be checked again. */
  recheck: boolean;
  submitFailure: ApplicationFailure | undefined;
  private readonly processed: Set<string>;
  private busy = false;

  // Histories recorded before each change replay as they ran (docs/workflow-versioning.md).
  private readonly deadlinesAndNotifications = patched('deadlines-and-notifications');
  private readonly disclosureLog = patched('disclosure-log');
  private readonly serialized = patched('serialized-commands');
  private readonly strandedEscalate = patched('stranded-steps-escalate');
  private readonly oneTask = patched('decisions-in-one-task');
  private readonly acts = this.oneTask ? local : remote;

  constructor(private readonly input: ReportWorkflowInput) {
    this.state = upgradeState(
      input.carried?.state ?? submit(upgradeSubmission(input.submission), now()).state,
    );
    this.processed = new Set(input.carried?.processedKeys ?? []);
    this.ready = input.carried !== undefined;
    this.recheck = input.carried?.recheckAssignees ?? false;
  }

  get idle(): boolean {
    return !this.busy;
  }

  /**
   * Runs `body` once `ready` holds and no other change runs: commands, deadlines and re-checks
   * never interleave. `condition` wakes every waiter whose predicate holds in the same
   * activation, so the lock is taken only after checking again, synchronously, that nobody else
   * took it first.
   */
  async runExclusive<T>(ready: () => boolean, body: () => Promise<T>): Promise<T> {
    do await condition(() => ready() && !this.busy);
    while (this.serialized && !(ready() && !this.busy));
    this.busy = true;
    try {
      return await body();
    } finally {
      this.busy = false;
    }
  }

  /** Keeps the search attributes current: what the visibility store knows of the report. */
  index(): void {
    if (this.input.indexInVisibility === false) return;
    const s = this.state;
    const current = s.currentStep === null ? undefined : s.steps[s.currentStep];
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.projectId, value: s.projectId },
      { key: SEARCH_ATTRIBUTES.reportKind, value: s.kind },
      { key: SEARCH_ATTRIBUTES.reportStatus, value: s.status },
      { key: SEARCH_ATTRIBUTES.currentStep, value: current?.key ?? '' },
      // Bounded (MAX_ROLE_MEMBERS), so the attribute stays inside the server's size limit.
      { key: SEARCH_ATTRIBUTES.assignees, value: [...(current?.assignees ?? [])].slice(0, MAX_ROLE_MEMBERS) },
    ]);
  }

  /**
   * Stores the change from `before` to the current state: opens the step it leaves to open (with
   * its role's members), then the search attributes and the read model with its audit event.
   * Throws when it could not be stored. Returns what is left to do once stored.
   */
  async store(before: ReportState | null, fired: readonly Fired[], event: ReportEvent): Promise<Effects> {
    let effects = effectsOf(before, this.state, fired);
    if (effects.opens !== null) {
      const step = this.state.steps[effects.opens];
      if (step) {
        const members = await this.acts.resolveAssignees(this.state.projectId, step.assigneeRole);
        this.state = openStep(this.state, effects.opens, members, now());
        // Nobody (or too few for its quorum) can approve it: the re-check escalates it once stored.
        const opened = this.state.steps[effects.opens];
        if (this.strandedEscalate && opened && !canBeApproved(opened)) this.recheck = true;
      }
      effects = effectsOf(before, this.state, fired);
    }
    if (this.oneTask) {
      // What the read model holds for this change: this state, or the one an attempt of the same
      // change stored before its workflow task was lost, which the workflow then takes as its own.
      this.state = await local.projectReportOnce(this.state, event);
      this.index();
      return effectsOf(before, this.state, fired);
    }
    this.index();
    await remote.projectReport(this.state, event);
    return effects;
  }

  /**
   * What follows a stored change: every step it finished goes to the public log (once: the
   * activity is keyed), then the people concerned are told. The change stands whatever happens
   * here; a failure is reported for an operator and the workflow carries on.
   */
  async announce(effects: Effects): Promise<void> {
    try {
      if (this.disclosureLog)
        for (const stepKey of effects.publish) await this.acts.publishStep(this.state, stepKey);
      const notifications = this.deadlinesAndNotifications ? effects.notify : [];
      if (notifications.length === 0) return;
      const { deliveryIds, retryInitialSeconds } = await this.acts.notify([...notifications]);
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
      await this.acts.reportProblem(this.state.reportId, 'announce', describe(err));
    }
  }

  /** Stores and announces the submission; false when it cannot be stored (there is no report). */
  async start(): Promise<boolean> {
    let effects: Effects;
    try {
      effects = await this.store(null, [], {
        action: 'report.submit',
        actorId: this.state.submitterId,
        requestId: this.input.requestId,
        details: { kind: this.state.kind, lineVersion: this.state.lineVersion },
      });
    } catch (err) {
      this.submitFailure = unprocessable(err);
      return false;
    }
    await this.announce(effects);
    return true;
  }

  /** A change the clock or a membership made: stored, or reported when it cannot be. */
  async settleUnattended(before: ReportState, fired: readonly Fired[], event: ReportEvent): Promise<void> {
    let effects: Effects;
    try {
      effects = await this.store(before, fired, event);
    } catch (err) {
      // The state stays (deadlines that passed are facts); the read model lags until repaired.
      await this.acts.reportProblem(this.state.reportId, 'projectReport', describe(err));
      return;
    }
    await this.announce(effects);
  }

  /** The transition on the current state, with a bug or an unforeseen input turned into a refusal. */
  private judge<A>(command: ReportCommand<A & CommandArgs>, args: A & CommandArgs): Transition {
    try {
      return command.transition(this.state, args, now());
    } catch (err) {
      throw err instanceof ApplicationFailure ? err : unprocessable(err);
    }
  }

  /** Registers a command: validated synchronously, applied one at a time, each request key once. */
  handle<A extends CommandArgs>(command: ReportCommand<A>): void {
    setHandler(
      command.update,
      (args) =>
        this.runExclusive(
          () => this.ready,
          async () => {
            if (this.processed.has(args.requestKey)) return this.state;
            // Judged again: another command may have changed the state since validation.
            const t = this.judge(command, args);
            if (!t.ok) throw refusal(t);
            const before = this.state;
            this.state = t.state;
            let effects: Effects;
            try {
              effects = await this.store(before, [], {
                action: command.action,
                actorId: args.actorId,
                requestId: args.requestId,
                details: command.details(args, before),
              });
            } catch (err) {
              // Refused for good by the read model: undo, so the report is as it was.
              this.state = before;
              this.index();
              throw unprocessable(err);
            }
            this.processed.add(args.requestKey);
            await this.announce(effects);
            return this.state;
          },
        ),
      {
        validator: (args) => {
          if (!this.ready || !this.idle || this.processed.has(args.requestKey)) return; // the handler decides
          const t = this.judge(command, args);
          if (!t.ok) throw refusal(t);
        },
      },
    );
  }

  /** Takes off the open step whoever no longer acts in its role (a membership changed). */
  recheckAssignees(): Promise<void> {
    return this.runExclusive(
      () => true,
      async () => {
        this.recheck = false;
        const open = openStepOf(this.state);
        if ('ok' in open) return;
        const members = await this.acts.resolveAssignees(this.state.projectId, open.step.assigneeRole);
        const revised = reviseAssignees(this.state, members, now(), uuid4, this.strandedEscalate);
        if (!revised) return;
        const before = this.state;
        this.state = revised.state;
        await this.settleUnattended(before, revised.fired, {
          action: 'report.assignees_revised',
          actorId: null,
          requestId: null,
          details: {
            stepKey: open.step.key,
            removed: before.steps[open.index]?.assignees.filter((a) => !members.includes(a)),
          },
        });
      },
    );
  }

  /** Fires the reminders and escalation levels that are due. */
  fireDeadlines(): Promise<void> {
    return this.runExclusive(
      () => true,
      async () => {
        const before = this.state;
        const { state: after, fired } = fireDueEvents(before, now(), uuid4);
        if (fired.length === 0) return;
        this.state = after;
        await this.settleUnattended(before, fired, {
          action: 'report.deadline',
          actorId: null,
          requestId: null,
          details: {
            fired: fired.map((f) =>
              f.kind === 'reminder' ? 'reminder' : `escalation:${f.escalation.toRole}`,
            ),
          },
        });
      },
    );
  }

  /**
   * Until the report is closed: sleeps until the next reminder or escalation is due, or until a
   * command changes the state (which may move or remove that moment), then fires what is due.
   */
  async watch(): Promise<void> {
    for (;;) {
      const next = this.deadlinesAndNotifications ? nextTimedEvent(this.state) : null;
      const version = this.state.version;
      const wake = () =>
        this.state.version !== version ||
        isClosed(this.state) ||
        this.recheck ||
        workflowInfo().continueAsNewSuggested;
      const changed = next
        ? await condition(wake, Math.max(1, Date.parse(next.at) - Date.now()))
        : (await condition(wake), true);
      if (this.recheck && !isClosed(this.state)) {
        await this.recheckAssignees();
        continue;
      }
      if (isClosed(this.state) || workflowInfo().continueAsNewSuggested) return;
      if (!changed) await this.fireDeadlines();
    }
  }

  /** What the next run starts from, when this one continues as new. */
  carried(): NonNullable<ReportWorkflowInput['carried']> {
    return {
      state: this.state,
      processedKeys: [...this.processed].slice(-PROCESSED_KEYS_CARRIED),
      ...(this.recheck ? { recheckAssignees: true } : {}),
    };
  }
}

export async function reportWorkflow(input: ReportWorkflowInput): Promise<ReportState> {
  const run = new ReportRun(input);
  setHandler(reportStateQuery, () => run.state);
  setHandler(submittedUpdate, async () => {
    await condition(() => run.ready || run.submitFailure !== undefined);
    if (run.submitFailure) throw run.submitFailure;
    return run.state;
  });
  setHandler(assigneesChangedSignal, () => {
    run.recheck = true;
  });
  run.handle(REPORT_COMMANDS.decide);
  run.handle(REPORT_COMMANDS.delegate);
  run.handle(REPORT_COMMANDS.resubmit);
  run.handle(REPORT_COMMANDS.withdraw);
  run.handle(REPORT_COMMANDS.resolveEscalation);

  if (!run.ready) {
    if (!(await run.start())) {
      // The submission itself cannot be stored: it is refused, and there is no report.
      await condition(allHandlersFinished);
      return run.state;
    }
    run.ready = true;
  }
  await run.watch();

  // Closed, or asked to continue as new: let running commands finish first.
  await condition(() => run.idle && allHandlersFinished());
  if (!isClosed(run.state)) {
    await continueAsNew<typeof reportWorkflow>({
      submission: input.submission,
      requestId: input.requestId,
      ...(input.indexInVisibility !== undefined ? { indexInVisibility: input.indexInVisibility } : {}),
      carried: run.carried(),
    });
  }
  return run.state;
}
