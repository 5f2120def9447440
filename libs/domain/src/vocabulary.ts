/**
 * The fixed vocabulary of PRODUCT.md: organization kinds, system and project roles, project
 * statuses. Report kinds are not here: a deployment profile defines them (kinds.ts).
 */

export const ORGANIZATION_KINDS = ['agency', 'contractor', 'supervisor', 'subcontractor'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const SYSTEM_ROLES = ['admin', 'staff', 'auditor'] as const;
export type SystemRole = (typeof SYSTEM_ROLES)[number];

export const PROJECT_ROLES = [
  'contractor',
  'supervisor',
  'agency_officer',
  'agency_head',
  'observer',
] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

export const PROJECT_STATUSES = ['planned', 'in_progress', 'suspended', 'completed', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** A report kind's key, as the deployment profile defines it (e.g. `design_change`, `decompte_provisoire`). */
export type ReportKind = string;

/** What a kind key looks like: lower-case letters, digits and underscores, from a letter. */
export const KIND_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** Organization kinds whose staff may hold a project role; an agency's staff cannot be "the contractor". */
export const ROLE_ORGANIZATION_KINDS: Readonly<Record<ProjectRole, readonly OrganizationKind[]>> = {
  contractor: ['contractor', 'subcontractor'],
  supervisor: ['supervisor'],
  agency_officer: ['agency'],
  agency_head: ['agency'],
  observer: ['agency', 'contractor', 'supervisor', 'subcontractor'],
};

/**
 * Project roles a user of each system role may hold. Administrators and auditors only ever
 * observe: whoever runs or audits the system never decides a report (segregation of duties).
 */
export const PROJECT_ROLES_OF: Readonly<Record<SystemRole, readonly ProjectRole[]>> = {
  admin: ['observer'],
  auditor: ['observer'],
  staff: PROJECT_ROLES,
};

/** A membership as the rules see it: the role, and the account behind it. */
export interface Membership {
  readonly role: ProjectRole;
  readonly active: boolean;
  readonly systemRole: SystemRole;
}

/**
 * The role a member acts in now, or `null`: a deactivated account acts in none, and a role the
 * account's system role may not hold (stored before that rule existed) counts for nothing.
 */
export function actingRole(member: Membership | null | undefined): ProjectRole | null {
  if (!member || !member.active) return null;
  return PROJECT_ROLES_OF[member.systemRole].includes(member.role) ? member.role : null;
}
