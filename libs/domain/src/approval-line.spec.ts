import { DEFAULT_APPROVAL_LINES } from './approval-line';
import { isIsoDuration } from './duration';
import { REPORT_KINDS } from './vocabulary';

describe('DEFAULT_APPROVAL_LINES', () => {
  it('has a line for every report kind, with unique keys and valid durations', () => {
    expect(Object.keys(DEFAULT_APPROVAL_LINES).sort()).toEqual([...REPORT_KINDS].sort());
    for (const steps of Object.values(DEFAULT_APPROVAL_LINES)) {
      expect(steps.length).toBeGreaterThan(0);
      expect(new Set(steps.map((s) => s.key)).size).toBe(steps.length);
      for (const step of steps) {
        expect(isIsoDuration(step.sla)).toBe(true);
        step.escalation.forEach((level) => expect(isIsoDuration(level.after)).toBe(true));
      }
    }
  });

  it('sends money decisions up to the agency head', () => {
    for (const kind of ['design_change', 'progress_payment'] as const) {
      expect(DEFAULT_APPROVAL_LINES[kind].at(-1)?.assigneeRole).toBe('agency_head');
    }
  });
});
