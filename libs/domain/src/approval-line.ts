/** Approval-line templates: the ordered steps a report of one kind goes through on one project. */
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
