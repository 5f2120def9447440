/** A file's id, its SHA-256 in lower-case hex, wherever a request names one. */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { invalidRequest } from '../common/problem';

export const FILE_ID = /^[0-9a-f]{64}$/;

/** A body field holding a file's id, as POST /api/v1/files returned it. */
export const FileIdProperty = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ pattern: FILE_ID.source, description: 'The id (SHA-256) POST /api/v1/files returned.' }),
    Matches(FILE_ID, { message: 'fileId must be the id of an uploaded file (64 hexadecimal digits)' }),
  );

/** A path parameter holding a file's id, checked before anything is looked up. */
export function fileId(raw: string, field = 'fileId'): string {
  if (!FILE_ID.test(raw))
    throw invalidRequest([{ field, message: `${field} must be a SHA-256 (64 hexadecimal digits)` }]);
  return raw;
}
