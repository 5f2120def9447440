import { Body, Controller, Get, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated } from '../auth/decorators';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { CreateDocumentRequest, DocumentPage, DocumentsQuery, DocumentView } from './documents.dto';
import { DocumentsService } from './documents.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('documents')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/projects/:projectId/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @ApiCreatedResponse({
    type: DocumentView,
    description: 'Registered (as the next version of its title); a public one is in the public log at once.',
  })
  @ApiNotFoundResponse({ type: Problem })
  @ApiForbiddenResponse({
    type: Problem,
    description: 'Observers, administrators and auditors do not register documents.',
  })
  create(
    @UuidParam('projectId') projectId: string,
    @Body() body: CreateDocumentRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<DocumentView> {
    return this.documents.create(projectId, body, ctx);
  }

  @Get()
  @ApiOkResponse({ type: DocumentPage, description: 'The project’s documents, newest first, every version.' })
  @ApiNotFoundResponse({ type: Problem })
  list(
    @UuidParam('projectId') projectId: string,
    @Query() query: DocumentsQuery,
    @Ctx() ctx: RequestContext,
  ): Promise<DocumentPage> {
    return this.documents.list(projectId, ctx.actor, query);
  }
}
