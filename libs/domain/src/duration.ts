/**
 * ISO 8601 durations as OpenCCS uses them for SLAs and escalations: weeks, days, hours, minutes and
 * seconds. Years and months are refused because their length depends on the calendar, and an SLA
 * must mean the same number of seconds wherever it is read.
 */
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
