import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { PageQuery } from '../common/pagination';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import {
  CreateProjectRequest,
  MemberList,
  MemberView,
  ProjectPage,
  ProjectView,
  SetMemberRequest,
  UpdateProjectRequest,
} from './projects.dto';
import { ProjectsService } from './projects.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('projects')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @RequireSystemRole('admin')
  @ApiCreatedResponse({ type: ProjectView })
  @ApiBadRequestResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'The code is taken.' })
  @ApiUnprocessableEntityResponse({
    type: Problem,
    description: 'The agency does not exist or is not an agency.',
  })
  @ApiServiceUnavailableResponse({
    type: Problem,
    description: 'Temporal is unavailable; nothing was created.',
  })
  create(@Body() body: CreateProjectRequest, @Ctx() ctx: RequestContext): Promise<ProjectView> {
    return this.projects.create(body, ctx);
  }

  @Get()
  @ApiOkResponse({
    type: ProjectPage,
    description: 'Projects the caller is a member of (all, for admins and auditors).',
  })
  list(@Query() query: PageQuery, @Ctx() ctx: RequestContext): Promise<ProjectPage> {
    return this.projects.list(query, ctx.actor);
  }

  @Get(':projectId')
  @ApiOkResponse({ type: ProjectView })
  @ApiNotFoundResponse({ type: Problem, description: 'No such project, or the caller may not read it.' })
  get(@UuidParam('projectId') projectId: string, @Ctx() ctx: RequestContext): Promise<ProjectView> {
    return this.projects.get(projectId, ctx.actor);
  }

  @Patch(':projectId')
  @RequireSystemRole('admin')
  @ApiOkResponse({ type: ProjectView, description: 'Changed; the code and the agency never change.' })
  @ApiBadRequestResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem })
  update(
    @UuidParam('projectId') projectId: string,
    @Body() body: UpdateProjectRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<ProjectView> {
    return this.projects.update(projectId, body, ctx);
  }

  @Get(':projectId/members')
  @ApiOkResponse({ type: MemberList })
  @ApiNotFoundResponse({ type: Problem })
  async members(@UuidParam('projectId') projectId: string, @Ctx() ctx: RequestContext): Promise<MemberList> {
    return { items: await this.projects.members(projectId, ctx.actor) };
  }

  @Put(':projectId/members/:userId')
  @RequireSystemRole('admin')
  @ApiOkResponse({ type: MemberView })
  @ApiBadRequestResponse({ type: Problem })
  @ApiNotFoundResponse({ type: Problem, description: 'No such project or user.' })
  @ApiUnprocessableEntityResponse({
    type: Problem,
    description: "The role does not fit the user's organization.",
  })
  setMember(
    @UuidParam('projectId') projectId: string,
    @UuidParam('userId') userId: string,
    @Body() body: SetMemberRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<MemberView> {
    return this.projects.setMember(projectId, userId, body, ctx);
  }

  @Delete(':projectId/members/:userId')
  @RequireSystemRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Removed; the person leaves every open step of the project they were assigned.',
  })
  @ApiNotFoundResponse({ type: Problem, description: 'No such project, or the user is not a member.' })
  @ApiServiceUnavailableResponse({
    type: Problem,
    description: 'Temporal is unavailable; nothing was changed.',
  })
  removeMember(
    @UuidParam('projectId') projectId: string,
    @UuidParam('userId') userId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    return this.projects.removeMember(projectId, userId, ctx);
  }
}
