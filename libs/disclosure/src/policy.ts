/**
 * What each report kind may disclose from its body. Nothing is published unless listed here:
 * a new field in a kind's body stays private until someone decides, here, that it is public.
 */
import type { ReportKind } from '@openccs/domain';

export const BODY_WHITELIST: Readonly<Record<ReportKind, readonly string[]>> = {
  inspection_request: ['inspectionType', 'location'],
  material_approval: ['material', 'standard'],
  construction_plan: ['planType'],
  progress_report: ['progressPercent', 'period'],
  design_change: ['changeType'],
  progress_payment: ['claimNumber', 'period'],
  completion_inspection: ['completionType'],
};

/** The whitelisted top-level fields of `body` (nested values are published as they are). */
export function publicBody(kind: ReportKind, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(BODY_WHITELIST[kind].filter((f) => f in body).map((f) => [f, body[f]]));
}
