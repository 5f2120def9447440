/** Approval-line templates: the ordered steps a report of one kind goes through on one project. */
import { durationProblem } from './duration';
import { MAX_ROLE_MEMBERS } from './limits';
import type { ProjectRole, ReportKind } from './vocabulary';

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

const supervisorReview = (sla: string): StepTemplate => ({
  key: 'supervisor_review',
  name: 'Supervisor review',
  assigneeRole: 'supervisor',
  mode: 'any',
  sla,
  escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
  public: true,
});

const officerApproval = (sla: string): StepTemplate => ({
  key: 'agency_officer_approval',
  name: 'Agency officer approval',
  assigneeRole: 'agency_officer',
  mode: 'any',
  sla,
  escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
  public: true,
});

const headDecision = (sla: string): StepTemplate => ({
  key: 'agency_head_decision',
  name: 'Agency head decision',
  assigneeRole: 'agency_head',
  mode: 'any',
  sla,
  escalation: [],
  public: true,
});

/**
 * The line every new project starts with, per kind. Money and scope decisions (design changes,
 * payments, completion) go up to the agency head; routine technical reports stop at the officer.
 */
export const DEFAULT_APPROVAL_LINES: Readonly<Record<ReportKind, readonly StepTemplate[]>> = {
  inspection_request: [supervisorReview('PT48H')],
  material_approval: [supervisorReview('PT72H'), officerApproval('PT72H')],
  construction_plan: [supervisorReview('PT120H'), officerApproval('PT120H')],
  progress_report: [supervisorReview('PT72H'), officerApproval('PT72H')],
  design_change: [supervisorReview('PT120H'), officerApproval('PT120H'), headDecision('PT120H')],
  progress_payment: [supervisorReview('PT168H'), officerApproval('PT120H'), headDecision('PT72H')],
  completion_inspection: [supervisorReview('PT168H'), officerApproval('PT120H'), headDecision('PT120H')],
};

/** Roles that can decide a step or handle its escalation: the supervisor and the agency. */
export const DECIDING_ROLES: readonly ProjectRole[] = ['supervisor', 'agency_officer', 'agency_head'];

export interface LineProblem {
  /** Path in the request body, e.g. `steps[1].sla`. */
  readonly field: string;
  readonly message: string;
}

/**
 * The rules a line must follow beyond its shape: unique step keys, deciding roles, positive and
 * bounded SLAs and escalation delays, and a quorum exactly where the mode asks for one.
 */
export function validateApprovalLine(steps: readonly StepTemplate[]): LineProblem[] {
  const problems: LineProblem[] = [];
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
