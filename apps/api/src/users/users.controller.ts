import { Body, Controller, Get, HttpCode, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AcceptsOneTimePassword, Authenticated, RequireSystemRole } from '../auth/decorators';
import { PageQuery } from '../common/pagination';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { ChangePasswordRequest, CreateUserRequest, UserPage, UserView } from './users.dto';
import { UsersService } from './users.service';
import { IdempotencyInterceptor } from '../common/idempotency';

@ApiTags('users')
@Authenticated()
@UseInterceptors(IdempotencyInterceptor)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @RequireSystemRole('admin')
  @ApiCreatedResponse({ type: UserView })
  @ApiBadRequestResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'The username is taken.' })
  @ApiUnprocessableEntityResponse({ type: Problem, description: 'The organization does not exist.' })
  create(@Body() body: CreateUserRequest, @Ctx() ctx: RequestContext): Promise<UserView> {
    return this.users.create(body, ctx);
  }

  @Get()
  @RequireSystemRole('admin', 'auditor')
  @ApiOkResponse({ type: UserPage, description: 'Every account, active or not, in id order.' })
  list(@Query() query: PageQuery): Promise<UserPage> {
    return this.users.list(query);
  }

  @Get('me')
  @ApiOkResponse({ type: UserView })
  me(@Ctx() ctx: RequestContext): Promise<UserView> {
    return this.users.get(ctx.actor.id, ctx);
  }

  @Get(':userId')
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ type: Problem })
  get(@UuidParam('userId') id: string, @Ctx() ctx: RequestContext): Promise<UserView> {
    return this.users.get(id, ctx);
  }

  @Post(':userId/deactivate')
  @RequireSystemRole('admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: UserView,
    description: 'Deactivated: every token ends, every open step is re-checked.',
  })
  @ApiNotFoundResponse({ type: Problem })
  @ApiConflictResponse({ type: Problem, description: 'Your own account.' })
  deactivate(@UuidParam('userId') id: string, @Ctx() ctx: RequestContext): Promise<UserView> {
    return this.users.deactivate(id, ctx);
  }

  @Post(':userId/reactivate')
  @RequireSystemRole('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ type: Problem })
  reactivate(@UuidParam('userId') id: string, @Ctx() ctx: RequestContext): Promise<UserView> {
    return this.users.reactivate(id, ctx);
  }

  @Post(':userId/password')
  @AcceptsOneTimePassword()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every token issued before ends.' })
  @ApiBadRequestResponse({ type: Problem })
  @ApiForbiddenResponse({ type: Problem, description: 'Your current password is wrong or missing.' })
  @ApiNotFoundResponse({ type: Problem, description: 'No such user, or not yours to change.' })
  changePassword(
    @UuidParam('userId') id: string,
    @Body() body: ChangePasswordRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    return this.users.changePassword(id, body, ctx);
  }
}
