import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, RequireSystemRole } from '../auth/decorators';
import { Problem } from '../common/problem';
import { Ctx, type RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { CreateUserRequest, UserView } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Authenticated()
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
}
