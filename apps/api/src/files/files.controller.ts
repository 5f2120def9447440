/**
 * Evidence files: upload (multipart, field `file`) and read back by whoever may read what they
 * belong to. The bytes are addressed by their SHA-256, which is the file's id.
 */
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { MAX_COMMENT_LENGTH } from '@openccs/domain';
import type { Request, Response } from 'express';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { Optional } from '../common/validation.pipe';
import { fileId } from './file-id';
import { FilesService, type FileView } from './files.service';
import { sendFile } from './send-file';
import { IdempotencyInterceptor } from '../common/idempotency';

export class UploadedFileView implements FileView {
  @ApiProperty({ description: 'SHA-256 of the bytes: the same bytes always have the same id.' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'As recognized from the bytes.' }) contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({
    description: 'Whether it can be published (a photo as a copy without location and camera data).',
  })
  publishable!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it cannot be published.' })
  publishProblem!: string | null;
}

export class FileQuery {
  @ApiPropertyOptional({ enum: ['thumb'], description: '`thumb`: a small WebP of a photo.' })
  @Optional()
  @IsIn(['thumb'], { message: 'size must be thumb' })
  size?: 'thumb';
}

@ApiTags('files')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({
    type: UploadedFileView,
    description: 'Stored (or already stored: the same bytes, the same id).',
  })
  @ApiPayloadTooLargeResponse({ type: Problem, description: 'Over MAX_UPLOAD_BYTES; nothing was stored.' })
  @ApiUnsupportedMediaTypeResponse({
    type: Problem,
    description: 'Not multipart, or the bytes are not of an allowed type, or not what the name says.',
  })
  upload(@Req() req: Request, @Ctx() ctx: RequestContext): Promise<UploadedFileView> {
    return this.files.upload(req, ctx);
  }

  @Get(':fileId')
  @ApiOkResponse({
    description: 'The bytes, as the type they were recognized as.',
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({ type: Problem, description: 'No such file that you may read.' })
  async read(
    @Param('fileId') id: string,
    @Query() query: FileQuery,
    @Ctx() ctx: RequestContext,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.files.read(fileId(id), ctx.actor, query.size === 'thumb' ? 'thumb' : 'original');
    await sendFile(res, file, 'no-store');
  }
}

export class WithdrawRequest {
  @ApiProperty({
    maxLength: MAX_COMMENT_LENGTH,
    description: 'The legal reason; shown where the file was, and audited.',
  })
  // Checked from the bottom up: first that there is a reason at all.
  @MaxLength(MAX_COMMENT_LENGTH)
  @Matches(/\S/, { message: 'reason must not be blank' })
  @IsString({ message: 'reason is required: a text saying why' })
  reason!: string;
}

export class WithdrawResponse {
  @ApiProperty({
    type: [String],
    description: 'The hashes whose bytes were removed (the file, its copy, its thumbnail).',
  })
  withdrawn!: string[];
}

@ApiTags('administration')
@Authenticated()
@RequireSystemRole('admin')
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/admin/files')
export class FilesAdminController {
  constructor(private readonly files: FilesService) {}

  /**
   * Withdraws a file's bytes for a legal reason. Nothing is deleted from the log: the records that
   * name the file keep its hash (so the log still verifies) and the file answers 410 with the reason.
   */
  @Post(':fileId/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: WithdrawResponse })
  @ApiNotFoundResponse({ type: Problem })
  withdraw(
    @Param('fileId') id: string,
    @Body() body: WithdrawRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<WithdrawResponse> {
    return this.files.withdraw(fileId(id), body.reason.trim(), ctx);
  }
}
