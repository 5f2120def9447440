import { addDuration, CALENDARS, CALENDAR_TIME, type TimeBasis } from './deadlines';

const KR: TimeBasis = { kind: 'working', calendar: CALENDARS.KR };
const TN: TimeBasis = { kind: 'working', calendar: CALENDARS.TN };
const H = 3600;

describe('addDuration', () => {
  it('counts calendar time by default', () => {
    expect(addDuration('2026-11-27T08:00:00.000Z', 72 * H, CALENDAR_TIME)).toBe('2026-11-30T08:00:00.000Z');
  });

  it('counts working hours only: a Friday afternoon SLA of 3 h ends on Monday morning (KST)', () => {
    // Friday 2026-11-27 16:00 KST = 07:00Z; two hours remain on Friday, one on Monday from 09:00 KST.
    expect(addDuration('2026-11-27T07:00:00.000Z', 3 * H, KR)).toBe('2026-11-30T01:00:00.000Z');
  });

  it('starts the clock at opening time when a step opens outside working hours', () => {
    // Saturday 2026-11-28 → Monday 09:00 KST + 1 h = 10:00 KST = 01:00Z.
    expect(addDuration('2026-11-28T03:00:00.000Z', 1 * H, KR)).toBe('2026-11-30T01:00:00.000Z');
  });

  it('skips public holidays: Chuseok 2026 (Sep 24–26) in Korea', () => {
    // Wednesday 2026-09-23 17:00 KST (08:00Z) + 2 working hours → Monday 09-28 10:00 KST.
    expect(addDuration('2026-09-23T08:00:00.000Z', 2 * H, KR)).toBe('2026-09-28T01:00:00.000Z');
  });

  it('uses the Tunisian calendar: Independence Day, 20 March 2026, is skipped', () => {
    // Friday 2026-03-20 is both Eid al-Fitr and Independence Day: a Thursday 16:00 CET request with
    // 2 h has one hour on Thursday and the other on Monday 23 March, 08:00–09:00 CET = 08:00Z.
    expect(addDuration('2026-03-19T15:00:00.000Z', 2 * H, TN)).toBe('2026-03-23T08:00:00.000Z');
  });

  it('ships the holidays of the current and the next year', () => {
    for (const cal of [CALENDARS.KR, CALENDARS.TN]) {
      expect(cal.holidays.some((d) => d.startsWith('2026-'))).toBe(true);
      expect(cal.holidays.some((d) => d.startsWith('2027-'))).toBe(true);
    }
  });
});
