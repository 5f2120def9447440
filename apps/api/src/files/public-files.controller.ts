/**
 * Files of the public log: `GET /public/v1/files/{sha256}` serves exactly the files a record
 * names, nothing else (a private file is 404 here whatever its hash), cached forever since the
 * bytes can never change under their hash. A withdrawn file is 410 with its reason.
 */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { Problem } from '../common/problem';
import { FileQuery } from './files.controller';
import { fileId } from './file-id';
import { FilesService } from './files.service';
import { sendFile } from './send-file';

@ApiTags('public')
@Public()
@Controller('public/v1/files')
export class PublicFilesController {
  constructor(private readonly files: FilesService) {}

  @Get(':sha256')
  @ApiOkResponse({
    description: 'The bytes whose SHA-256 a public record names (`?size=thumb`: a small WebP of a photo).',
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({ type: Problem, description: 'No public record names this file.' })
  @ApiGoneResponse({ type: Problem, description: 'Withdrawn for a legal reason; the record keeps its hash.' })
  async read(
    @Param('sha256') sha256: string,
    @Query() query: FileQuery,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.files.published(
      fileId(sha256, 'sha256'),
      query.size === 'thumb' ? 'thumb' : 'original',
    );
    await sendFile(res, file, 'public, max-age=31536000, immutable');
  }
}
