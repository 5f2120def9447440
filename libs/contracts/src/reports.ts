/**
 * The report workflow's contract: one workflow per report, its id derived from the report id;
 * every decision is a Workflow Update whose validator runs the domain rules, so a refusal is
 * synchronous and leaves no trace in history; a query returns the full state.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  decide,
  delegate,
  resolveEscalation,
  resubmit,
  withdraw,
  type DecisionAction,
  type ProjectRole,
  type ResubmitCommand,
  type ReportState,
  type ResolveCommand,
  type SubmitInput,
  type Transition,
} from '@openccs/domain';

export const REPORT_WORKFLOW = 'reportWorkflow';

export function reportWorkflowId(reportId: string): string {
  return `report:${reportId}`;
}

export interface ReportWorkflowInput {
  readonly submission: SubmitInput;
  /** The HTTP request that submitted it, for the audit log. */
  readonly requestId: string | null;
  /**
   * Keep the search attributes current (default). Only false on Temporal's time-skipping test
   * server, which cannot register custom search attributes.
   */
  readonly indexInVisibility?: boolean;
  /** Set when the workflow continued as new: the state and the request keys already applied. */
  readonly carried?: {
    readonly state: ReportState;
    readonly processedKeys: readonly string[];
    /** A membership change arrived as the run ended: the next run re-checks the assignees. */
    readonly recheckAssignees?: boolean;
  };
}

/** Every command carries the key of the request that made it, so a retried request applies once. */
interface Keyed {
  readonly requestKey: string;
  /** The HTTP request that sent it, for the audit log. */
  readonly requestId: string | null;
}

export interface DecideArgs extends Keyed {
  readonly actorId: string;
  /** The role the actor acts in now; absent in commands recorded before it existed. */
  readonly actorRole?: ProjectRole | null;
  readonly action: DecisionAction;
  readonly comment: string | null;
}

export interface DelegateArgs extends Keyed {
  readonly actorId: string;
  readonly actorRole?: ProjectRole | null;
  readonly toUserId: string;
  readonly toUserRole: ProjectRole | null;
}

export interface ResubmitArgs extends Keyed {
  readonly actorId: string;
  readonly changes: ResubmitCommand['changes'];
  readonly comment: string | null;
}

export interface WithdrawArgs extends Keyed {
  readonly actorId: string;
}

export interface ResolveEscalationArgs extends Keyed, ResolveCommand {}

/** Resolves once the report's first step is open and projected: the submit response. */
export const submittedUpdate = defineUpdate<ReportState>('submitted');
export const decideUpdate = defineUpdate<ReportState, [DecideArgs]>('decide');
export const delegateUpdate = defineUpdate<ReportState, [DelegateArgs]>('delegate');
export const resubmitUpdate = defineUpdate<ReportState, [ResubmitArgs]>('resubmit');
export const withdrawUpdate = defineUpdate<ReportState, [WithdrawArgs]>('withdraw');
export const resolveEscalationUpdate = defineUpdate<ReportState, [ResolveEscalationArgs]>(
  'resolveEscalation',
);
export const reportStateQuery = defineQuery<ReportState>('state');
/**
 * Someone's membership changed (a role, a removal, a deactivation): the workflow checks its open
 * step's assignees against who acts in the step's role now.
 */
export const assigneesChangedSignal = defineSignal('assigneesChanged');

/** What changed a report, written to the audit log in the same transaction as the read model. */
export interface ReportEvent {
  readonly action:
    | 'report.submit'
    | 'report.decide'
    | 'report.delegate'
    | 'report.resubmit'
    | 'report.withdraw'
    | 'report.escalation_resolve'
    | 'report.deadline'
    | 'report.assignees_revised'
    | 'report.repair';
  /** `null` for changes the clock made (reminders, escalations). */
  readonly actorId: string | null;
  readonly requestId: string | null;
  readonly details: Record<string, unknown>;
}

/**
 * A command on a report: its Update, the domain transition that judges and applies it, and what
 * the audit log records of it. The workflow registers these and nothing else; the API sends them,
 * and asks the same transition about a report whose workflow has ended.
 */
export interface ReportCommand<A extends Keyed & { readonly actorId: string }> {
  readonly update: UpdateDefinition<ReportState, [A]>;
  readonly action: ReportEvent['action'];
  readonly transition: (state: ReportState, args: A, now: string) => Transition;
  readonly details: (args: A, before: ReportState) => Record<string, unknown>;
}

const openStepKey = (s: ReportState): string | null =>
  s.currentStep === null ? null : (s.steps[s.currentStep]?.key ?? null);

export const REPORT_COMMANDS: {
  readonly decide: ReportCommand<DecideArgs>;
  readonly delegate: ReportCommand<DelegateArgs>;
  readonly resubmit: ReportCommand<ResubmitArgs>;
  readonly withdraw: ReportCommand<WithdrawArgs>;
  readonly resolveEscalation: ReportCommand<ResolveEscalationArgs>;
} = {
  decide: {
    update: decideUpdate,
    action: 'report.decide',
    transition: decide,
    details: (a, before) => ({ decision: a.action, stepKey: openStepKey(before) }),
  },
  delegate: {
    update: delegateUpdate,
    action: 'report.delegate',
    transition: delegate,
    details: (a, before) => ({ toUserId: a.toUserId, stepKey: openStepKey(before) }),
  },
  resubmit: {
    update: resubmitUpdate,
    action: 'report.resubmit',
    transition: resubmit,
    details: (a) => ({ changed: Object.keys(a.changes), comment: a.comment }),
  },
  withdraw: {
    update: withdrawUpdate,
    action: 'report.withdraw',
    transition: (s, a, at) => withdraw(s, a.actorId, at),
    details: () => ({}),
  },
  resolveEscalation: {
    update: resolveEscalationUpdate,
    action: 'report.escalation_resolve',
    transition: resolveEscalation,
    details: (a, before) => ({
      escalationId: a.escalationId,
      resolution: a.action,
      justification: a.justification,
      toUserId: a.toUserId ?? null,
      extendBy: a.extendBy ?? null,
      stepKey: openStepKey(before),
    }),
  },
};

/** How many applied request keys a workflow remembers across continue-as-new. */
export const PROCESSED_KEYS_CARRIED = 1_000;

export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDeliveryWorkflow';

export function webhookDeliveryWorkflowId(deliveryId: string): string {
  return `webhook-delivery:${deliveryId}`;
}

export interface WebhookDeliveryInput {
  readonly deliveryId: string;
  readonly retryInitialSeconds: number;
}

/** Attempts of one webhook delivery before it is marked failed. */
export const WEBHOOK_MAX_ATTEMPTS = 8;
