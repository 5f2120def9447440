import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { DOCUMENT_CATEGORIES, type DocumentCategory } from '@openccs/disclosure';
import { MAX_TITLE_LENGTH } from '@openccs/domain';
import type { DocumentRow } from '@openccs/persistence';
import { PageQuery } from '../common/pagination';
import { Optional, Title } from '../common/validation.pipe';
import { FileIdProperty } from '../files/file-id';

export class CreateDocumentRequest {
  @FileIdProperty()
  fileId!: string;

  @ApiProperty({ enum: DOCUMENT_CATEGORIES })
  @IsIn(DOCUMENT_CATEGORIES, { message: `category must be one of ${DOCUMENT_CATEGORIES.join(', ')}` })
  category!: DocumentCategory;

  @ApiProperty({
    maxLength: MAX_TITLE_LENGTH,
    description: 'A document of a title the project has already is its next version.',
  })
  @Title()
  title!: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Publish it: a record in the public log names its SHA-256 (a photo as a copy without metadata).',
  })
  @Optional()
  @IsBoolean({ message: 'public must be true or false' })
  public?: boolean;
}

export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: '1 for the first document of its title, then 2, 3…' }) version!: number;
  @ApiProperty({ enum: DOCUMENT_CATEGORIES }) category!: DocumentCategory;
  @ApiProperty({ description: 'SHA-256 of the file: GET /api/v1/files/{fileId}.' }) fileId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty() public!: boolean;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Position of its record in the public log.' })
  recordSeq!: number | null;

  static of(row: DocumentRow): DocumentView {
    return {
      id: row.id,
      projectId: row.projectId,
      title: row.title,
      version: row.version,
      category: row.category,
      fileId: row.sha256,
      name: row.name,
      contentType: row.contentType,
      size: Number(row.size),
      public: row.public,
      createdBy: row.createdBy,
      createdAt: new Date(row.createdAt).toISOString(),
      recordSeq: row.recordSeq === null ? null : Number(row.recordSeq),
    };
  }
}

export class DocumentPage {
  @ApiProperty({ type: [DocumentView] }) items!: DocumentView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DocumentsQuery extends PageQuery {}
