/**
 * Deadlines in calendar time or in working time. Public-works deadlines are set in working
 * days, so a project may count SLAs, reminders and escalation delays only inside a
 * deployment calendar's working hours, skipping weekends and public holidays.
 *
 * Calendars use a fixed UTC offset (Korea and Tunisia keep no daylight saving time), which
 * keeps this arithmetic pure and deterministic inside workflows.
 */

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
  /**
   * The first and last local dates whose holidays the calendar knows. Working time is never
   * counted outside them: a holiday nobody listed must not pass for a working day. Absent in
   * calendars recorded before coverage was tracked (counted as covering everything).
   */
  readonly coversFrom?: string;
  readonly coversUntil?: string;
}

export type TimeBasis =
  { readonly kind: 'calendar' } | { readonly kind: 'working'; readonly calendar: WorkCalendar };

export const CALENDAR_TIME: TimeBasis = { kind: 'calendar' };

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * `start` plus `seconds` of the basis' time, as an ISO 8601 UTC instant; `null` when working time
 * would have to be counted past the calendar's coverage (an error to show, never a guess).
 */
export function addDuration(start: string, seconds: number, basis: TimeBasis): string | null {
  const startMs = Date.parse(start);
  if (basis.kind === 'calendar' || seconds <= 0) return new Date(startMs + seconds * 1000).toISOString();
  const at = addWorkingMs(startMs, seconds * 1000, basis.calendar);
  return at === null ? null : new Date(at).toISOString();
}

/** Why a working-time deadline cannot be computed, in words people can act on. */
export function uncoveredDeadline(calendar: WorkCalendar): string {
  return `The working calendar "${calendar.name}" lists holidays only until ${calendar.coversUntil ?? '?'}; a deadline after that cannot be counted in working time until an administrator extends the calendar.`;
}

function addWorkingMs(startMs: number, durationMs: number, cal: WorkCalendar): number | null {
  const offsetMs = cal.utcOffsetMinutes * MINUTE_MS;
  const holidays = new Set(cal.holidays);
  let local = startMs + offsetMs; // a "local" clock: UTC arithmetic on shifted instants
  let remaining = durationMs;
  // Durations are bounded (limits.ts: a year of working time is about four calendar years), so
  // a walk of this length only ends here for a calendar without working days.
  for (let i = 0; i < 36_600; i++) {
    const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
    const date = new Date(dayStart);
    const day = date.toISOString().slice(0, 10);
    if ((cal.coversFrom && day < cal.coversFrom) || (cal.coversUntil && day > cal.coversUntil)) return null;
    const worked = cal.workingDays.includes(date.getUTCDay()) && !holidays.has(day);
    const open = dayStart + cal.workStartMinute * MINUTE_MS;
    const close = dayStart + cal.workEndMinute * MINUTE_MS;
    if (worked && local < close) {
      const from = Math.max(local, open);
      if (remaining <= close - from) return from + remaining - offsetMs;
      remaining -= close - from;
    }
    local = dayStart + DAY_MS;
  }
  return null;
}
