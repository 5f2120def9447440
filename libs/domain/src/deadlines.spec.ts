import { addDuration, CALENDAR_TIME, type TimeBasis, type WorkCalendar } from './deadlines';

const H = 3600;
/** A Korean-style week (Mon–Fri 09:00–18:00 at UTC+9) with one holiday; the profiles' calendars are tested in libs/profile. */
const calendar: WorkCalendar = {
  name: 'test',
  utcOffsetMinutes: 540,
  workingDays: [1, 2, 3, 4, 5],
  workStartMinute: 540,
  workEndMinute: 1080,
  holidays: ['2026-12-25'],
  coversFrom: '2026-01-01',
  coversUntil: '2026-12-31',
};
const WORKING: TimeBasis = { kind: 'working', calendar };

describe('addDuration', () => {
  it('counts calendar time by default', () => {
    expect(addDuration('2026-11-27T08:00:00.000Z', 72 * H, CALENDAR_TIME)).toBe('2026-11-30T08:00:00.000Z');
  });

  it('counts working hours only: a Friday afternoon SLA of 3 h ends on Monday morning', () => {
    // Friday 2026-11-27 16:00 local = 07:00Z; two hours remain on Friday, one on Monday from 09:00.
    expect(addDuration('2026-11-27T07:00:00.000Z', 3 * H, WORKING)).toBe('2026-11-30T01:00:00.000Z');
  });

  it('starts the clock at opening time when a step opens outside working hours', () => {
    // Saturday 2026-11-28 → Monday 09:00 + 1 h = 10:00 local = 01:00Z.
    expect(addDuration('2026-11-28T03:00:00.000Z', 1 * H, WORKING)).toBe('2026-11-30T01:00:00.000Z');
  });

  it('skips holidays', () => {
    // Thursday 2026-12-24 17:00 local + 2 working hours: one on Thursday, one on Monday 28 (25 is a holiday).
    expect(addDuration('2026-12-24T08:00:00.000Z', 2 * H, WORKING)).toBe('2026-12-28T01:00:00.000Z');
  });

  it('never counts a day past the calendar’s coverage: the deadline is unknown, not guessed', () => {
    expect(addDuration('2026-12-30T01:00:00.000Z', 40 * H, WORKING)).toBeNull();
    expect(addDuration('2026-12-30T01:00:00.000Z', 40 * H, CALENDAR_TIME)).toBe('2026-12-31T17:00:00.000Z');
  });

  it('treats a calendar recorded without coverage as covering everything (states from older releases)', () => {
    const { coversFrom: _f, coversUntil: _u, ...legacy } = calendar;
    expect(
      addDuration('2026-12-30T01:00:00.000Z', 40 * H, { kind: 'working', calendar: legacy }),
    ).not.toBeNull();
  });
});
