/**
 * Reads a profile directory (a shipped name such as `seoul`, or a path) and validates every file
 * against profiles/profile.schema.json and the rules the schema cannot say (a kind's file is
 * named after its key, its public fields exist in its body schema, its default line follows the
 * line rules, the demo's people belong to organizations that may hold their roles…). Every
 * problem is reported at once, each naming its file and field: a broken profile stops start-up
 * with a message an administrator can act on.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ErrorObject } from 'ajv/dist/2020';
import canonicalize from 'canonicalize';
import YAML from 'yaml';
import {
  durationProblem,
  FEEDBACK_CATEGORIES,
  parseIsoDuration,
  type FeedbackCategory,
  type ProjectRole,
  jsonBytes,
  KIND_KEY,
  ROLE_ORGANIZATION_KINDS,
  validateApprovalLine,
  type KindDefinition,
  type StepTemplate,
  type WorkCalendar,
} from '@openccs/domain';
import { projectRoot } from '@openccs/config';
import { schemaCompiler } from './body-schemas';
import type { DemoData, FeedbackProfile, Holiday, IntegrityThresholds, Profile } from './profile';

/** A kind's body schema may take this much of every report's state (docs/limits.md). */
export const MAX_BODY_SCHEMA_BYTES = 16 * 1024;

export class ProfileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid deployment profile:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

/** Where a profile reference points: a shipped profile by name, else a directory path. */
export function profileDirectory(ref: string, root = projectRoot()): string {
  const shipped = join(root, 'profiles', ref);
  if (/^[a-z][a-z0-9-]*$/.test(ref) && existsSync(shipped)) return shipped;
  return isAbsolute(ref) ? ref : resolve(process.cwd(), ref);
}

export function shippedProfiles(root = projectRoot()): string[] {
  return readdirSync(join(root, 'profiles'))
    .filter((d) => statSync(join(root, 'profiles', d)).isDirectory())
    .sort();
}

type Raw = Record<string, unknown>;

export function loadProfile(ref: string, root = projectRoot()): Profile {
  const directory = profileDirectory(ref, root);
  const problems: string[] = [];
  const ajv = schemaCompiler();
  const schema = JSON.parse(readFileSync(join(root, 'profiles', 'profile.schema.json'), 'utf8')) as Raw;
  ajv.addSchema(schema, 'profile');
  const name = (file: string) => relative(process.cwd(), join(directory, file)) || file;

  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new ProfileError([
      `${ref}: no such profile; OPENCCS_PROFILE takes a shipped name (${shippedProfiles(root).join(', ')}) or the path of a profile directory`,
    ]);
  }

  /** Parses and validates one file; `undefined` when it has problems (all recorded). */
  const read = (file: string, def: string): Raw | undefined => {
    const path = join(directory, file);
    if (!existsSync(path)) {
      problems.push(`${name(file)}: missing (every profile has ${file})`);
      return undefined;
    }
    const doc = YAML.parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${name(file)}: ${e.message.split('\n')[0]}`);
      return undefined;
    }
    const value = doc.toJS() as unknown;
    const validate = ajv.getSchema(`profile#/$defs/${def}`);
    if (!validate) throw new Error(`profile.schema.json has no $defs/${def}`);
    if (!validate(value)) {
      for (const e of validate.errors ?? []) problems.push(`${name(file)}: ${describe(e)}`);
      return undefined;
    }
    return value as Raw;
  };

  const profile = read('profile.yaml', 'profile');
  const calendarRaw = read('calendar.yaml', 'calendar');
  const demoRaw = read('demo.yaml', 'demo');
  const languages = (profile?.languages as string[] | undefined) ?? [];

  const kindsDir = join(directory, 'kinds');
  const kindFiles = existsSync(kindsDir)
    ? readdirSync(kindsDir)
        .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
        .sort()
    : [];
  if (kindFiles.length === 0)
    problems.push(`${name('kinds')}: no report kinds (kinds/<key>.yaml, one a kind)`);
  const kinds: KindDefinition[] = [];
  for (const file of kindFiles) {
    const raw = read(join('kinds', file), 'kind');
    if (!raw) continue;
    const kind = checkKind(raw, name(join('kinds', file)), file, languages, problems);
    if (kind) kinds.push(kind);
  }

  const calendar = calendarRaw ? checkCalendar(calendarRaw, name('calendar.yaml'), problems) : undefined;
  if (demoRaw) checkDemo(demoRaw as unknown as DemoData, name('demo.yaml'), problems);
  if (profile) {
    for (const language of languages)
      if (!/^[a-z]{2,3}$/.test(language))
        problems.push(`${name('profile.yaml')}: languages: ${language} is not a language code`);
    const title = profile.title as Record<string, string>;
    for (const language of languages)
      if (!title[language]) problems.push(`${name('profile.yaml')}: title: no title in ${language}`);
  }

  const feedback = profile
    ? feedbackOf(profile.feedback as Raw | undefined, name('profile.yaml'), problems)
    : undefined;
  if (problems.length > 0 || !profile || !calendar || !demoRaw || !feedback) throw new ProfileError(problems);
  return {
    name: profile.name as string,
    directory,
    title: profile.title as Record<string, string>,
    languages,
    currency: profile.currency as string,
    officialsNamed: profile.officialsNamed as boolean,
    defaults: profile.defaults as Profile['defaults'],
    integrity: profile.integrity as unknown as IntegrityThresholds,
    feedback,
    calendar,
    kinds,
    demo: demoRaw as unknown as DemoData,
  };
}

/** Feedback rules as the workflows use them; a profile without a `feedback` section gets these defaults. */
const DEFAULT_FEEDBACK = {
  answerWithin: 'P7D',
  routes: {},
  escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
  contactRetention: 'P90D',
  source: 'OpenCCS default: a week to answer, then the agency head.',
};

function feedbackOf(raw: Raw | undefined, file: string, problems: string[]): FeedbackProfile {
  const f = (raw ?? DEFAULT_FEEDBACK) as {
    answerWithin: string;
    routes: Partial<Record<FeedbackCategory, ProjectRole[]>>;
    escalation: Array<{ after: string; toRole: ProjectRole }>;
    contactRetention: string;
    source: string;
  };
  const seconds = (field: string, value: string, positive: boolean) => {
    const problem = durationProblem(field, value, positive);
    if (problem) {
      problems.push(`${file}: feedback.${field}: ${problem}`);
      return 0;
    }
    return parseIsoDuration(value) ?? 0;
  };
  return {
    answerWithinSeconds: seconds('answerWithin', f.answerWithin, true),
    // Every category reaches the agency's officers; a profile may add roles (safety: the supervisor).
    routes: Object.fromEntries(
      FEEDBACK_CATEGORIES.map((c) => [
        c,
        [...new Set<ProjectRole>(['agency_officer', ...(f.routes[c] ?? [])])],
      ]),
    ) as unknown as FeedbackProfile['routes'],
    escalation: f.escalation.map((level, i) => ({
      afterSeconds: seconds(`escalation[${i}].after`, level.after, false),
      toRole: level.toRole,
    })),
    contactRetentionSeconds: seconds('contactRetention', f.contactRetention, true),
    source: f.source,
  };
}

function describe(e: ErrorObject): string {
  const field = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  const params = e.params as {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
  };
  if (e.keyword === 'required' && params.missingProperty)
    return `${field ? `${field}.` : ''}${params.missingProperty}: is required`;
  if (e.keyword === 'additionalProperties' && params.additionalProperty)
    return `${field ? `${field}.` : ''}${params.additionalProperty}: is not a field of this file`;
  if (e.keyword === 'enum' && params.allowedValues)
    return `${field || '(the file)'}: must be one of ${params.allowedValues.map(String).join(', ')}`;
  return `${field || '(the file)'}: ${e.message ?? 'is invalid'}`;
}

function checkKind(
  raw: Raw,
  file: string,
  fileName: string,
  languages: readonly string[],
  problems: string[],
): KindDefinition | undefined {
  const before = problems.length;
  const key = raw.key as string;
  if (!KIND_KEY.test(key) || fileName.replace(/\.ya?ml$/, '') !== key)
    problems.push(`${file}: key: must be the file's name (${fileName.replace(/\.ya?ml$/, '')})`);
  const names = raw.names as Record<string, string>;
  for (const language of languages)
    if (!names[language]) problems.push(`${file}: names.${language}: is required`);
  const body = raw.body as Raw;
  try {
    schemaCompiler().compile(body);
  } catch (err) {
    problems.push(`${file}: body: not a JSON Schema OpenCCS can use: ${(err as Error).message}`);
  }
  if (jsonBytes(body) > MAX_BODY_SCHEMA_BYTES)
    problems.push(`${file}: body: the schema must be at most ${MAX_BODY_SCHEMA_BYTES / 1024} KiB of JSON`);
  const properties = (body.properties ?? {}) as Raw;
  const disclosure = raw.disclosure as { publicFields: string[]; attachments: boolean };
  const partial = raw.partialCompletion as { field: string } | undefined;
  if (partial && !Object.hasOwn(properties, partial.field))
    problems.push(`${file}: partialCompletion.field: ${partial.field} is not a property of body`);
  disclosure.publicFields.forEach((field, i) => {
    if (!Object.hasOwn(properties, field))
      problems.push(`${file}: disclosure.publicFields[${i}]: ${field} is not a property of body`);
  });
  const progress = raw.progress === true;
  if (progress && !Object.hasOwn(properties, 'physicalProgress'))
    problems.push(`${file}: progress: a progress kind's body has a physicalProgress property (0–100)`);
  const line = (raw.line as StepTemplate[]).map((s) => ({
    ...s,
    escalation: s.escalation ?? [],
    public: s.public ?? true,
  }));
  for (const p of validateApprovalLine(line, {
    amount: raw.amount as string,
    progress,
    completion: raw.completion === true,
  }))
    problems.push(`${file}: line${p.field.replace(/^steps/, '')}: ${p.message}`);
  if (problems.length > before) return undefined;
  return {
    key,
    names,
    amount: raw.amount as KindDefinition['amount'],
    progress,
    completion: raw.completion === true,
    ...(raw.partialCompletion
      ? { partialCompletion: raw.partialCompletion as KindDefinition['partialCompletion'] }
      : {}),
    body,
    schemaVersion: createHash('sha256')
      .update(canonicalize(body) ?? '')
      .digest('hex'),
    disclosure: { publicFields: [...disclosure.publicFields], attachments: disclosure.attachments },
    line,
  };
}

function checkCalendar(raw: Raw, file: string, problems: string[]): Profile['calendar'] | undefined {
  const before = problems.length;
  const covers = raw.covers as { from: string; until: string };
  const validDate = (d: string) =>
    !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!validDate(covers.from)) problems.push(`${file}: covers.from: ${covers.from} is not a date`);
  if (!validDate(covers.until)) problems.push(`${file}: covers.until: ${covers.until} is not a date`);
  if (covers.from > covers.until) problems.push(`${file}: covers: from must not be after until`);
  // Holidays are checked against a valid coverage only: a typo in it is one problem, not fifty.
  const coversValid = problems.length === before;
  const hours = raw.workingHours as { start: string; end: string };
  const minute = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
  if (minute(hours.start) >= minute(hours.end))
    problems.push(`${file}: workingHours: start must be before end`);
  const holidays = raw.holidays as Holiday[];
  holidays.forEach((h, i) => {
    if (!validDate(h.date)) problems.push(`${file}: holidays[${i}].date: ${h.date} is not a date`);
    else if (coversValid && (h.date < covers.from || h.date > covers.until))
      problems.push(
        `${file}: holidays[${i}].date: ${h.date} is outside covers (${covers.from} to ${covers.until})`,
      );
  });
  if (problems.length > before) return undefined;
  const names = raw.name as Record<string, string>;
  const calendar: WorkCalendar = {
    name: names.en ?? Object.values(names)[0] ?? 'working calendar',
    utcOffsetMinutes: raw.utcOffsetMinutes as number,
    workingDays: raw.workingDays as number[],
    workStartMinute: minute(hours.start),
    workEndMinute: minute(hours.end),
    holidays: [...new Set(holidays.map((h) => h.date))].sort(),
    coversFrom: covers.from,
    coversUntil: covers.until,
  };
  return {
    names,
    calendar,
    holidays: holidays.map((h) => ({ ...h, status: h.status ?? 'official' })),
    sources: (raw.sources as string[] | undefined) ?? [],
  };
}

function checkDemo(demo: DemoData, file: string, problems: string[]): void {
  const orgs = new Map(demo.organizations.map((o) => [o.key, o]));
  const agency = orgs.get(demo.project.agency);
  if (!agency)
    problems.push(`${file}: project.agency: ${demo.project.agency} is not one of the organizations`);
  else if (agency.kind !== 'agency')
    problems.push(`${file}: project.agency: ${agency.key} is a ${agency.kind}, not an agency`);
  demo.people.forEach((p, i) => {
    const org = orgs.get(p.organization);
    if (!org)
      problems.push(`${file}: people[${i}].organization: ${p.organization} is not one of the organizations`);
    else if (!ROLE_ORGANIZATION_KINDS[p.role].includes(org.kind))
      problems.push(`${file}: people[${i}].role: a ${org.kind}'s staff cannot be ${p.role}`);
  });
}

/**
 * What an operator should hear at start-up: the calendar must cover the current year and the
 * next two, or working-time deadlines will soon have nothing to count with.
 */
export function calendarWarnings(profile: Profile, now = new Date()): string[] {
  const until = profile.calendar.calendar.coversUntil;
  const needed = `${now.getUTCFullYear() + 2}-12-31`;
  return until && until < needed
    ? [
        `The working calendar of profile "${profile.name}" lists holidays only until ${until}; extend ${join(profile.directory, 'calendar.yaml')} to cover ${needed}. Deadlines in working time past ${until} cannot be counted.`,
      ]
    : [];
}
