/** Cursor pagination: `?limit=&cursor=` in, `{ items, nextCursor }` out. Cursors are opaque. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { invalidRequest } from './problem';
import { Optional, Rules } from './validation.pipe';
import { WholeNumber } from './whole-number';

const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @Optional()
  @WholeNumber()
  @Rules(IsInt(), Min(1), Max(200))
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', pattern: CURSOR_PATTERN.source })
  @Optional()
  @Rules(IsString(), Matches(CURSOR_PATTERN, { message: 'cursor is not one this API issued' }))
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** How a list's rows are keyed for the cursor, and which decoded keys it can have issued. */
export interface CursorKey<Row> {
  of(row: Row): string;
  accepts(key: string): boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Rows ordered by their UUID. */
export const byId = <Row extends { id: string }>(): CursorKey<Row> => ({
  of: (row) => row.id,
  accepts: (key) => UUID.test(key),
});

/** Rows ordered by a serial number (newest first or last, as the query says). */
export const bySerial = <Row extends { id: string }>(): CursorKey<Row> => ({
  of: (row) => row.id,
  accepts: (key) => /^[1-9]\d{0,17}$/.test(key),
});

/** Rows ordered by an instant, then by a UUID. */
export const byInstantAndId = <Row>(
  instant: { [K in keyof Row]: Row[K] extends Date | string ? K : never }[keyof Row],
  id: { [K in keyof Row]: Row[K] extends string ? K : never }[keyof Row],
): CursorKey<Row> => ({
  of: (row) => `${new Date(row[instant] as Date | string).toISOString()}|${row[id] as string}`,
  accepts: (key) => {
    const [at = '', rowId = '', ...rest] = key.split('|');
    return rest.length === 0 && ISO_INSTANT.test(at) && !Number.isNaN(Date.parse(at)) && UUID.test(rowId);
  },
});

/** Rows ordered by a text column (PostgreSQL refuses NUL, and no key of ours holds a broken character). */
export const byText = <Row>(
  column: { [K in keyof Row]: Row[K] extends string ? K : never }[keyof Row],
): CursorKey<Row> => ({
  of: (row) => row[column] as string,
  accepts: (key) => key.length > 0 && !/[\u0000\ufffd]/.test(key),
});

/** A cursor this API could not have issued is the client's mistake: 400, never a failed query. */
function decodeCursor(cursor: string | undefined, key: CursorKey<never>): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.accepts(decoded)) return decoded;
  throw invalidRequest([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
}

/**
 * Fetches one row more than asked to know whether a next page exists, and encodes the last
 * row's key as the cursor.
 */
export async function paginate<Row, Item>(
  query: PageQuery,
  fetch: (page: { limit: number; after?: string }) => Promise<Row[]>,
  key: NoInfer<CursorKey<Row>>,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor, key);
  const rows = await fetch({ limit: limit + 1, ...(after !== undefined ? { after } : {}) });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? Buffer.from(key.of(last)).toString('base64url') : null,
  };
}
