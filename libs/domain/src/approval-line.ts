/**
 * Approval-line templates: the ordered steps a report of one kind goes through on one project.
 * The line each kind starts with comes from the deployment profile.
 */
import { durationProblem } from './duration';
import { MAX_ROLE_MEMBERS } from './limits';
import type { ProjectRole } from './vocabulary';

export type StepMode = 'all' | 'any' | 'quorum';

export interface EscalationLevel {
  /** ISO 8601 duration after the step's deadline at which this level opens. */
  readonly after: string;
  readonly toRole: ProjectRole;
}

export interface StepTemplate {
  readonly key: string;
  readonly name: string;
  readonly assigneeRole: ProjectRole;
  readonly mode: StepMode;
  readonly quorum?: number;
  /** ISO 8601 duration from the step's opening to its deadline. */
  readonly sla: string;
  readonly escalation: readonly EscalationLevel[];
  readonly public: boolean;
}

/** Roles that can decide a step or handle its escalation: the supervisor and the agency. */
export const DECIDING_ROLES: readonly ProjectRole[] = ['supervisor', 'agency_officer', 'agency_head'];

export interface LineProblem {
  /** Path in the request body, e.g. `steps[1].sla`. */
  readonly field: string;
  readonly message: string;
}

/**
 * The rules a line must follow beyond its shape: unique step keys, deciding roles, positive and
 * bounded SLAs and escalation delays, and a quorum exactly where the mode asks for one. For a kind
 * whose approval the public figures rest on (an amount, progress, completion), the last step is
 * public: its record is the one that says the report was approved, so a non-public last step would
 * keep an approved change or payment out of every figure and red flag.
 */
export function validateApprovalLine(
  steps: readonly StepTemplate[],
  kind?: { readonly amount: string; readonly progress?: boolean; readonly completion?: boolean },
): LineProblem[] {
  const problems: LineProblem[] = [];
  const last = steps[steps.length - 1];
  if (kind && (kind.amount !== 'none' || kind.progress || kind.completion) && last && !last.public)
    problems.push({
      field: `steps[${steps.length - 1}].public`,
      message:
        'the last step of this kind must be public: its record is what the public figures and red flags count (amounts, progress, completion)',
    });
  const seen = new Set<string>();
  steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    if (seen.has(step.key))
      problems.push({ field: `${at}.key`, message: `key "${step.key}" is used by an earlier step` });
    seen.add(step.key);
    if (!DECIDING_ROLES.includes(step.assigneeRole)) {
      problems.push({
        field: `${at}.assigneeRole`,
        message: `assigneeRole must be one of ${DECIDING_ROLES.join(', ')}`,
      });
    }
    const sla = durationProblem('sla', step.sla, true);
    if (sla) problems.push({ field: `${at}.sla`, message: sla });
    if (step.mode === 'quorum' && (step.quorum === undefined || step.quorum < 1)) {
      problems.push({
        field: `${at}.quorum`,
        message: 'quorum (at least 1) is required when mode is quorum',
      });
    }
    if (step.quorum !== undefined && step.quorum > MAX_ROLE_MEMBERS) {
      problems.push({
        field: `${at}.quorum`,
        message: `quorum must be at most ${MAX_ROLE_MEMBERS}, the most members a project role can have`,
      });
    }
    if (step.mode !== 'quorum' && step.quorum !== undefined) {
      problems.push({ field: `${at}.quorum`, message: 'quorum is only allowed when mode is quorum' });
    }
    step.escalation.forEach((level, j) => {
      const after = durationProblem('after', level.after, false);
      if (after) problems.push({ field: `${at}.escalation[${j}].after`, message: after });
      if (!DECIDING_ROLES.includes(level.toRole)) {
        problems.push({
          field: `${at}.escalation[${j}].toRole`,
          message: `toRole must be one of ${DECIDING_ROLES.join(', ')}`,
        });
      }
    });
  });
  return problems;
}
