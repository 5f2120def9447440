/**
 * Records as CSV (RFC 4180) and as an Atom feed (RFC 4287): the open-data formats of the log.
 * Both are read by programs that trust them: spreadsheets evaluate a cell that starts like a
 * formula, and XML parsers stop at the first illegal character. Records are immutable and may
 * hold anything an older release accepted, so the formats make every value safe on the way out.
 */
import { replaceIllegalText } from '@openccs/domain';
import type { DisclosureRecord } from './record';

const COLUMNS: ReadonlyArray<[string, (r: DisclosureRecord) => string | number | boolean | null]> = [
  ['seq', (r) => r.seq],
  ['published_at', (r) => r.publishedAt],
  ['project_code', (r) => r.project.code],
  ['project_title', (r) => r.project.title],
  ['report_id', (r) => r.report.id],
  ['report_kind', (r) => r.report.kind],
  ['report_title', (r) => r.report.title],
  ['revision', (r) => r.report.revision],
  ['step_key', (r) => r.step.key],
  ['step_name', (r) => r.step.name],
  ['outcome', (r) => r.step.outcome],
  ['decided_at', (r) => r.step.decidedAt],
  ['due_at', (r) => r.step.dueAt],
  ['on_time', (r) => r.step.onTime],
  ['taken_seconds', (r) => r.step.takenSeconds],
  ['sla_seconds', (r) => r.step.slaSeconds],
  ['actor_organization', (r) => r.actor.organization],
  ['actor_role', (r) => r.actor.role],
  ['amount', (r) => r.report.amount?.value ?? null],
  ['currency', (r) => r.report.amount?.currency ?? null],
  ['on_behalf_justification', (r) => r.onBehalf?.justification ?? null],
];

/**
 * One CSV cell. Text that a spreadsheet would read as a formula (OWASP's CSV injection rule: a
 * leading =, +, -, @, tab or carriage return) gets a leading apostrophe; numbers stay numbers.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The log as CSV, with a UTF-8 byte order mark so spreadsheets read Hangul and Arabic as such. */
export function recordsCsv(records: readonly DisclosureRecord[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const r of records) lines.push(COLUMNS.map(([, get]) => csvField(get(r))).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** Text as XML character data: well formed whatever it holds. */
const xml = (text: string) =>
  replaceIllegalText(text).replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/** The newest records as an Atom feed; `base` is the site's public URL. */
export function recordsAtom(records: readonly DisclosureRecord[], base: string, now: string): string {
  const newest = [...records].reverse();
  const entries = newest.map((r) => {
    const title = `${r.project.code}: ${r.report.title} — ${r.step.name} ${r.step.outcome}`;
    const summary = `${r.actor.organization} (${r.actor.role}) ${r.step.outcome} "${r.step.name}" of ${r.report.kind} revision ${r.report.revision}${r.step.onTime ? '' : ', after its deadline'}${r.onBehalf ? `, on behalf: ${r.onBehalf.justification}` : ''}.`;
    return `  <entry>
    <id>urn:uuid:${xml(r.id)}</id>
    <title>${xml(title)}</title>
    <updated>${xml(r.publishedAt)}</updated>
    <link href="${xml(`${base}/public/v1/log/inclusion?seq=${r.seq}`)}"/>
    <summary>${xml(summary)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(`${base}/public/v1/feed.atom`)}</id>
  <title>OpenCCS disclosure log</title>
  <updated>${xml(newest[0]?.publishedAt ?? now)}</updated>
  <link rel="self" href="${xml(`${base}/public/v1/feed.atom`)}"/>
  <author><name>OpenCCS</name></author>
${entries.join('\n')}
</feed>
`;
}
