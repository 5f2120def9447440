/**
 * Who must hear about a change to a report: new assignees (assignment), assignees before a
 * deadline (reminder), the role an escalation goes to (escalation), and the submitter of every
 * decision (decision). Derived from the states before and after, so no path can forget one.
 */
import type { Fired } from './escalation';
import { OUTCOME_OF, type ReportState } from './report';
import type { ProjectRole } from './vocabulary';

export type NotificationKind = 'assignment' | 'reminder' | 'escalation' | 'decision';

export interface NotificationInput {
  /** Deterministic: the same change always yields the same key, so a retried delivery is one notification. */
  readonly key: string;
  readonly kind: NotificationKind;
  readonly projectId: string;
  readonly reportId: string;
  readonly title: string;
  readonly to: { readonly userIds: readonly string[] } | { readonly role: ProjectRole };
  readonly data: Record<string, unknown>;
}

export function notificationsFor(
  before: ReportState | null,
  after: ReportState,
  fired: readonly Fired[],
): NotificationInput[] {
  const out: NotificationInput[] = [];
  const base = { projectId: after.projectId, reportId: after.reportId };
  const key = (kind: NotificationKind, n: number) => `${after.reportId}:v${after.version}:${kind}:${n}`;

  const step = after.currentStep === null ? undefined : after.steps[after.currentStep];
  if (step) {
    const previous =
      before?.revision === after.revision ? before.steps[after.currentStep as number] : undefined;
    const had = previous?.status === 'active' ? new Set(previous.assignees) : new Set<string>();
    const added = step.assignees.filter((a) => !had.has(a));
    if (added.length > 0) {
      out.push({
        ...base,
        key: key('assignment', 0),
        kind: 'assignment',
        title: `"${after.title}" waits for you: ${step.name}`,
        to: { userIds: added },
        data: { stepKey: step.key, dueAt: step.dueAt, revision: after.revision },
      });
    }
  }

  after.decisions.slice(before?.decisions.length ?? 0).forEach((d, i) => {
    out.push({
      ...base,
      key: key('decision', i),
      kind: 'decision',
      title: `"${after.title}": ${d.stepKey} ${OUTCOME_OF[d.action]}${d.onBehalf ? ' on behalf' : ''}`,
      to: { userIds: [after.submitterId] },
      data: {
        stepKey: d.stepKey,
        action: d.action,
        revision: d.revision,
        status: after.status,
        onBehalf: d.onBehalf ?? null,
      },
    });
  });

  fired.forEach((f, i) => {
    if (f.kind === 'reminder') {
      out.push({
        ...base,
        key: key('reminder', i),
        kind: 'reminder',
        title: `Reminder: "${after.title}" is due ${f.dueAt}`,
        to: { userIds: f.assignees },
        data: { stepKey: f.stepKey, dueAt: f.dueAt },
      });
    } else {
      out.push({
        ...base,
        key: key('escalation', i),
        kind: 'escalation',
        title:
          f.escalation.reason === 'unassigned'
            ? `Nobody is left to decide "${after.title}" (${f.escalation.stepKey}); it is escalated to you`
            : `Overdue: "${after.title}" (${f.escalation.stepKey}) is escalated to you`,
        to: { role: f.escalation.toRole },
        data: {
          escalationId: f.escalation.id,
          stepKey: f.escalation.stepKey,
          level: f.escalation.level,
          dueAt: f.escalation.dueAt,
          reason: f.escalation.reason ?? 'overdue',
        },
      });
    }
  });
  return out.filter((n) => !('userIds' in n.to) || n.to.userIds.length > 0);
}
