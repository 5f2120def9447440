/** Cursor pagination: `?limit=&cursor=` in, `{ items, nextCursor }` out. Cursors are opaque. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this API issued' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
}

/**
 * Fetches one row more than asked to know whether a next page exists, and encodes the last
 * row's key as the cursor.
 */
export async function paginate<Row, Item>(
  query: PageQuery,
  fetch: (page: { limit: number; after?: string }) => Promise<Row[]>,
  keyOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor);
  const rows = await fetch({ limit: limit + 1, ...(after !== undefined ? { after } : {}) });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? Buffer.from(keyOf(last)).toString('base64url') : null,
  };
}
