/**
 * ISO 8601 durations as OpenCCS uses them for SLAs and escalations: weeks, days, hours, minutes and
 * seconds. Years and months are refused because their length depends on the calendar, and an SLA
 * must mean the same number of seconds wherever it is read.
 */
import { MAX_DURATION_SECONDS } from './limits';

const PATTERN =
  /^P(?!$)(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds in the duration, or `undefined` when it is not one OpenCCS accepts. */
export function parseIsoDuration(text: string): number | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [, w, d, h, min, s] = m;
  const n = (part: string | undefined): number => (part === undefined ? 0 : Number(part));
  return n(w) * 604_800 + n(d) * 86_400 + n(h) * 3_600 + n(min) * 60 + n(s);
}

export function isIsoDuration(text: string): boolean {
  return parseIsoDuration(text) !== undefined;
}

/**
 * Why `text` is not a duration OpenCCS accepts for `field`, or `null`. Every duration is bounded
 * (`MAX_DURATION_SECONDS`), so no deadline computed from one can leave the range of instants that
 * PostgreSQL and Temporal store; `positive` refuses zero (an SLA, an extension), and
 * `minMinutes` anything shorter.
 */
export function durationProblem(
  field: string,
  text: unknown,
  positive: boolean,
  minMinutes = 0,
): string | null {
  const seconds = typeof text === 'string' && text.length <= 64 ? parseIsoDuration(text) : undefined;
  const example = positive ? 'PT72H or P3D' : 'PT0S or PT24H';
  if (seconds === undefined || !Number.isFinite(seconds))
    return `${field} must be an ISO 8601 duration such as ${example}`;
  if (positive && seconds <= 0) return `${field} must be a positive ISO 8601 duration such as ${example}`;
  if (seconds < minMinutes * 60) return `${field} must be at least PT${minMinutes}M`;
  if (seconds > MAX_DURATION_SECONDS) return `${field} must be at most P366D (a year and a day)`;
  return null;
}
