/** The deployment profile the test stack runs with (OPENCCS_PROFILE, default seoul), for assertions. */
import { loadProfile, type Profile } from '@openccs/profile';

export const profile: Profile = loadProfile(process.env.OPENCCS_PROFILE ?? 'seoul');

/** The profile's report kind keys. */
export const REPORT_KINDS: readonly string[] = profile.kinds.map((k) => k.key);

/** The profile's working calendar. */
export const WORKING_CALENDAR = profile.calendar.calendar;

export function kindSnapshot(key: string) {
  const kind = profile.kinds.find((k) => k.key === key);
  if (!kind) throw new Error(`the ${profile.name} profile has no kind ${key}`);
  const { line: _line, ...snapshot } = kind;
  return snapshot;
}
