/**
 * Deadlines in calendar time or in working time. Public-works deadlines are set in working
 * days, so a project may count SLAs, reminders and escalation delays only inside a
 * deployment calendar's working hours, skipping weekends and public holidays.
 *
 * Calendars use a fixed UTC offset (Korea and Tunisia keep no daylight saving time), which
 * keeps this arithmetic pure and deterministic inside workflows.
 */
import krHolidays from './calendars/kr.holidays.json';
import tnHolidays from './calendars/tn.holidays.json';

export interface WorkCalendar {
  readonly name: string;
  /** Minutes east of UTC of the calendar's local time. */
  readonly utcOffsetMinutes: number;
  /** Working weekdays, 0 = Sunday … 6 = Saturday. */
  readonly workingDays: readonly number[];
  /** Working hours as minutes after local midnight. */
  readonly workStartMinute: number;
  readonly workEndMinute: number;
  /** Local dates (YYYY-MM-DD) that are not worked. */
  readonly holidays: readonly string[];
}

export type TimeBasis =
  { readonly kind: 'calendar' } | { readonly kind: 'working'; readonly calendar: WorkCalendar };

export const CALENDAR_TIME: TimeBasis = { kind: 'calendar' };

/** The calendars OpenCCS ships; a deployment picks one with OPENCCS_CALENDAR. */
export const CALENDARS: Readonly<Record<'KR' | 'TN', WorkCalendar>> = {
  KR: {
    name: 'Republic of Korea (public sector, 09:00–18:00 KST)',
    utcOffsetMinutes: 9 * 60,
    workingDays: [1, 2, 3, 4, 5],
    workStartMinute: 9 * 60,
    workEndMinute: 18 * 60,
    holidays: krHolidays.holidays.map((h) => h.date),
  },
  TN: {
    name: 'Tunisia (public sector, 08:00–17:00 CET)',
    utcOffsetMinutes: 60,
    workingDays: [1, 2, 3, 4, 5],
    workStartMinute: 8 * 60,
    workEndMinute: 17 * 60,
    holidays: tnHolidays.holidays.map((h) => h.date),
  },
};

export type CalendarCode = keyof typeof CALENDARS;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** `start` plus `seconds` of the basis' time, as an ISO 8601 UTC instant. */
export function addDuration(start: string, seconds: number, basis: TimeBasis): string {
  const startMs = Date.parse(start);
  if (basis.kind === 'calendar' || seconds <= 0) return new Date(startMs + seconds * 1000).toISOString();
  return new Date(addWorkingMs(startMs, seconds * 1000, basis.calendar)).toISOString();
}

function addWorkingMs(startMs: number, durationMs: number, cal: WorkCalendar): number {
  const offsetMs = cal.utcOffsetMinutes * MINUTE_MS;
  const holidays = new Set(cal.holidays);
  let local = startMs + offsetMs; // a "local" clock: UTC arithmetic on shifted instants
  let remaining = durationMs;
  // Ten years of days is far beyond any SLA; the bound only guards against an empty calendar.
  for (let i = 0; i < 3_660; i++) {
    const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
    const date = new Date(dayStart);
    const worked =
      cal.workingDays.includes(date.getUTCDay()) && !holidays.has(date.toISOString().slice(0, 10));
    const open = dayStart + cal.workStartMinute * MINUTE_MS;
    const close = dayStart + cal.workEndMinute * MINUTE_MS;
    if (worked && local < close) {
      const from = Math.max(local, open);
      if (remaining <= close - from) return from + remaining - offsetMs;
      remaining -= close - from;
    }
    local = dayStart + DAY_MS;
  }
  throw new Error(`calendar ${cal.name} has no working time within ten years`);
}
