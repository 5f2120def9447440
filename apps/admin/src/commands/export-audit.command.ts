/** `export-audit`: the audit log, oldest first, as JSON lines or CSV, to standard output or a file. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { AdminCommand } from '../command';
import { UsageError } from '../context';
import { csvField } from '../csv';

const COLUMNS = [
  'id',
  'occurredAt',
  'actorUserId',
  'action',
  'subjectType',
  'subjectId',
  'requestId',
  'details',
];
const PAGE = 1000;

function instant(name: string, value: unknown): string | null {
  if (value === undefined) return null;
  const text = String(value);
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ||
    isNaN(Date.parse(text))
  )
    throw new UsageError(
      `--${name} must be an ISO 8601 date or instant, e.g. 2026-11-30 or 2026-11-30T12:00:00Z`,
    );
  return new Date(text).toISOString();
}

export const exportAudit: AdminCommand = {
  usage: 'export-audit',
  summary: 'write the audit log (oldest first) as JSON lines or CSV',
  options(command) {
    command
      .option('--since <instant>', 'from this instant on (inclusive)')
      .option('--until <instant>', 'before this instant')
      .option('--format <format>', 'jsonl or csv', 'jsonl')
      .option('--output <file>', 'write to this file instead of standard output');
  },
  async run(ctx, _args, options) {
    const format = String(options.format);
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv');
    const since = instant('since', options.since);
    const until = instant('until', options.until);
    const ds = await ctx.dataSource();
    const file = options.output === undefined ? undefined : createWriteStream(String(options.output));
    const write = (text: string): Promise<void> | void => (file ? written(file, text) : ctx.output.out(text));
    if (format === 'csv') await write(`${COLUMNS.join(',')}\n`);
    let after = '0';
    let count = 0;
    for (;;) {
      const rows: Array<Record<string, unknown>> = await ds.query(
        `SELECT id::text, occurred_at AS "occurredAt", actor_user_id AS "actorUserId", action,
                subject_type AS "subjectType", subject_id AS "subjectId", request_id AS "requestId", details
           FROM audit_events
          WHERE id > $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2) AND ($3::timestamptz IS NULL OR occurred_at < $3)
          ORDER BY audit_events.id LIMIT ${PAGE}`,
        [after, since, until],
      );
      for (const row of rows) {
        const values = { ...row, occurredAt: (row.occurredAt as Date).toISOString() };
        await write(
          format === 'jsonl'
            ? `${JSON.stringify(values)}\n`
            : `${COLUMNS.map((c) => {
                const v = values[c as keyof typeof values];
                return csvField(
                  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v),
                );
              }).join(',')}\n`,
        );
      }
      count += rows.length;
      if (rows.length < PAGE) break;
      after = String(rows[rows.length - 1]?.id);
    }
    if (file)
      await new Promise<void>((done, fail) => file.end((err?: Error | null) => (err ? fail(err) : done())));
    ctx.output.err(`${count} audit events exported.\n`);
  },
};

function written(stream: Writable, text: string): Promise<void> | void {
  if (stream.write(text)) return;
  return new Promise((done) => stream.once('drain', done));
}
