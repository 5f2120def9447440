/**
 * What a record means for its project — an amount that changes the contract or pays it, the
 * progress it states, whether it completes the project — read from the record alone, so that the
 * public figures (overview, OC4IDS, red flags) and anyone recomputing them from the export agree.
 * Records published before kinds came from profiles carry no `meaning`; their kind's key says it,
 * as the code said then (LEGACY_KINDS).
 */
import { LEGACY_KINDS, financialProgressOf, physicalProgressOf } from '@openccs/domain';
import type { RecordMeaning, StepRecord } from './record';

export function meaningOf(record: Pick<StepRecord, 'report'>): RecordMeaning {
  if (record.report.meaning) return record.report.meaning;
  const legacy = LEGACY_KINDS[record.report.kind];
  return {
    amount: legacy?.amount ?? 'none',
    progress: legacy?.progress
      ? {
          physical: physicalProgressOf(record.report.body),
          financial: financialProgressOf(record.report.body),
        }
      : null,
    completion: legacy?.completion ?? false,
  };
}

/** The record of a step that approved its report: the report's effect on the project holds. */
export const approvedReport = (record: Pick<StepRecord, 'report'>): boolean =>
  record.report.status === 'approved';
