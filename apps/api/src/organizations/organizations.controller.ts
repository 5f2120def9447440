import { Body, Controller, Get, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { PageQuery } from '../common/pagination';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { CreateOrganizationRequest, OrganizationPage, OrganizationView } from './organizations.dto';
import { OrganizationsService } from './organizations.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('organizations')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @RequireSystemRole('admin')
  @ApiCreatedResponse({ type: OrganizationView })
  @ApiBadRequestResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'The name is taken.' })
  create(@Body() body: CreateOrganizationRequest, @Ctx() ctx: RequestContext): Promise<OrganizationView> {
    return this.organizations.create(body, ctx);
  }

  @Get()
  @RequireSystemRole('admin', 'auditor')
  @ApiOkResponse({ type: OrganizationPage })
  list(@Query() query: PageQuery): Promise<OrganizationPage> {
    return this.organizations.list(query);
  }

  @Get(':organizationId')
  @ApiOkResponse({ type: OrganizationView })
  @ApiNotFoundResponse({ type: Problem })
  get(@UuidParam('organizationId') id: string): Promise<OrganizationView> {
    return this.organizations.get(id);
  }
}
