/**
 * Records as CSV (RFC 4180) and as an Atom feed (RFC 4287): the open-data formats of the log.
 * Both are read by programs that trust them: spreadsheets evaluate a cell that starts like a
 * formula, and XML parsers stop at the first illegal character. Records are immutable and may
 * hold anything an older release accepted, so the formats make every value safe on the way out.
 */
import { replaceIllegalText } from '@openccs/domain';
import {
  filesNamedBy,
  isDocumentRecord,
  isFeedbackRecord,
  isProjectRecord,
  isProjectScoped,
  isStepRecord,
  type DisclosureRecord,
  type DocumentRecord,
  type ProjectRecord,
  type StepRecord,
} from './record';

/** The part of a record each column reads; the columns of other types stay empty. */
const stepOf = (r: DisclosureRecord): StepRecord | undefined => (isStepRecord(r) ? r : undefined);
const documentOf = (r: DisclosureRecord): DocumentRecord | undefined => (isDocumentRecord(r) ? r : undefined);
const sheetOf = (r: DisclosureRecord): ProjectRecord | undefined => (isProjectRecord(r) ? r : undefined);
const actorOf = (r: DisclosureRecord) =>
  isStepRecord(r) || isDocumentRecord(r)
    ? r.actor
    : isFeedbackRecord(r)
      ? (r.feedback.answeredBy ?? undefined)
      : undefined;
const feedbackOf = (r: DisclosureRecord) => (isFeedbackRecord(r) ? r.feedback : undefined);
const recordType = (r: DisclosureRecord) => (isStepRecord(r) ? 'step' : r.type);

const COLUMNS: ReadonlyArray<[string, (r: DisclosureRecord) => string | number | boolean | null]> = [
  ['seq', (r) => r.seq],
  ['published_at', (r) => r.publishedAt],
  ['project_code', (r) => (isProjectScoped(r) ? r.project.code : null)],
  ['project_title', (r) => (isProjectScoped(r) ? r.project.title : null)],
  ['report_id', (r) => stepOf(r)?.report.id ?? null],
  ['report_kind', (r) => stepOf(r)?.report.kind ?? null],
  ['report_title', (r) => stepOf(r)?.report.title ?? null],
  ['revision', (r) => stepOf(r)?.report.revision ?? null],
  ['step_key', (r) => stepOf(r)?.step.key ?? null],
  ['step_name', (r) => stepOf(r)?.step.name ?? null],
  ['outcome', (r) => stepOf(r)?.step.outcome ?? null],
  ['decided_at', (r) => stepOf(r)?.step.decidedAt ?? null],
  ['due_at', (r) => stepOf(r)?.step.dueAt ?? null],
  ['on_time', (r) => stepOf(r)?.step.onTime ?? null],
  ['taken_seconds', (r) => stepOf(r)?.step.takenSeconds ?? null],
  ['sla_seconds', (r) => stepOf(r)?.step.slaSeconds ?? null],
  ['actor_organization', (r) => actorOf(r)?.organization ?? null],
  ['actor_role', (r) => actorOf(r)?.role ?? null],
  ['amount', (r) => stepOf(r)?.report.amount?.value ?? null],
  ['currency', (r) => stepOf(r)?.report.amount?.currency ?? null],
  ['on_behalf_justification', (r) => stepOf(r)?.onBehalf?.justification ?? null],
  // Added with evidence: what kind of record it is, a document's facts, and every file it names.
  ['record_type', recordType],
  ['document_title', (r) => documentOf(r)?.document.title ?? null],
  ['document_category', (r) => documentOf(r)?.document.category ?? null],
  ['document_version', (r) => documentOf(r)?.document.version ?? null],
  [
    'files_sha256',
    (r) =>
      filesNamedBy(r)
        .map((f) => f.sha256)
        .join(' ') || null,
  ],
  // Added with project sheets: the sheet's version, its agency and contract value.
  ['sheet_version', (r) => sheetOf(r)?.version ?? null],
  ['agency', (r) => sheetOf(r)?.sheet.agency.name ?? null],
  ['contract_value', (r) => sheetOf(r)?.sheet.contractValue?.value ?? null],
  ['contract_currency', (r) => sheetOf(r)?.sheet.contractValue?.currency ?? null],
  // Added with citizen feedback: its event, category, question and answer.
  ['feedback_event', (r) => feedbackOf(r)?.event ?? null],
  ['feedback_category', (r) => feedbackOf(r)?.category ?? null],
  ['feedback_question', (r) => feedbackOf(r)?.question ?? null],
  ['feedback_answer', (r) => feedbackOf(r)?.answer ?? null],
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
export const xmlText = (text: string) =>
  replaceIllegalText(text).replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/** The newest records as an Atom feed; `base` is the site's public URL. */
export function recordsAtom(records: readonly DisclosureRecord[], base: string, now: string): string {
  const newest = [...records].reverse();
  const entries = newest.map((r) => {
    const { title, summary } = isFeedbackRecord(r)
      ? {
          title: `${r.project.code}: citizen ${r.feedback.category} ${r.feedback.event === 'answered' ? 'answered' : r.feedback.event === 'withheld' ? 'not published (moderation)' : 'unanswered past its deadline'}`,
          summary:
            r.feedback.event === 'answered'
              ? `Q: ${r.feedback.question ?? ''} A (${r.feedback.answeredBy?.organization ?? ''}, ${r.feedback.answeredBy?.role ?? ''}): ${r.feedback.answer ?? ''}`
              : r.feedback.event === 'withheld'
                ? `A citizen's ${r.feedback.category} received ${r.feedback.receivedAt} was moderated as not publishable.`
                : `A citizen's ${r.feedback.category} received ${r.feedback.receivedAt} had no published answer by ${r.feedback.dueAt}.`,
        }
      : isProjectRecord(r)
        ? {
            title: `${r.project.code}: project sheet, version ${r.version}`,
            summary: `${r.sheet.agency.name} publishes the project sheet${r.sheet.contractValue ? `: contract value ${r.sheet.contractValue.value} ${r.sheet.contractValue.currency}` : ''}, status ${r.sheet.status}.`,
          }
        : isStepRecord(r)
          ? {
              title: `${r.project.code}: ${r.report.title} — ${r.step.name} ${r.step.outcome}`,
              summary: `${r.actor.organization} (${r.actor.role}) ${r.step.outcome} "${r.step.name}" of ${r.report.kind} revision ${r.report.revision}${r.step.onTime ? '' : ', after its deadline'}${r.onBehalf ? `, on behalf: ${r.onBehalf.justification}` : ''}.`,
            }
          : isDocumentRecord(r)
            ? {
                title: `${r.project.code}: document "${r.document.title}" (${r.document.category}), version ${r.document.version}`,
                summary: `${r.actor.organization} (${r.actor.role}) published ${r.document.file.name}, SHA-256 ${r.document.file.sha256}.`,
              }
            : {
                title: `The log's signing key changes from tree size ${r.rotation.fromTreeSize}`,
                summary: `Tree heads from size ${r.rotation.fromTreeSize} on are signed by key ${r.rotation.nextKey.keyId}, announced and signed by the previous key ${r.rotation.previousKey.keyId}.`,
              };
    return {
      id: `urn:uuid:${r.id}`,
      title,
      updated: r.publishedAt,
      link: `${base}/public/v1/log/inclusion?seq=${r.seq}`,
      summary,
    };
  });
  return atomFeed({
    self: `${base}/public/v1/feed.atom`,
    title: 'OpenCCS disclosure log',
    updated: newest[0]?.publishedAt ?? now,
    entries,
  });
}

export interface AtomEntry {
  readonly id: string;
  readonly title: string;
  readonly updated: string;
  readonly link: string;
  readonly summary: string;
}

/** An Atom feed (RFC 4287) whose every value is escaped: the log's and the red flags'. */
export function atomFeed(feed: {
  self: string;
  title: string;
  updated: string;
  entries: readonly AtomEntry[];
}): string {
  const entries = feed.entries.map(
    (e) => `  <entry>
    <id>${xmlText(e.id)}</id>
    <title>${xmlText(e.title)}</title>
    <updated>${xmlText(e.updated)}</updated>
    <link href="${xmlText(e.link)}"/>
    <summary>${xmlText(e.summary)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlText(feed.self)}</id>
  <title>${xmlText(feed.title)}</title>
  <updated>${xmlText(feed.updated)}</updated>
  <link rel="self" href="${xmlText(feed.self)}"/>
  <author><name>OpenCCS</name></author>
${entries.join('\n')}
</feed>
`;
}
