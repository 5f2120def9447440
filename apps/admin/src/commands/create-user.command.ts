/** `create-user <username>`: an account with a one-time password, created as the API creates one. */
import { generatePassword } from '@openccs/persistence';
import { CreateUserRequest } from '../../../api/src/users/users.dto';
import { UsersService } from '../../../api/src/users/users.service';
import type { AdminCommand } from '../command';
import { CommandFailure } from '../context';
import { Lookups } from '../lookups';
import { validated } from '../refusal';

export const createUser: AdminCommand = {
  usage: 'create-user <username>',
  summary: 'create an account and print its one-time password',
  options(command) {
    command
      .requiredOption('--name <display name>', 'the name others see')
      .requiredOption('--organization <name or id>', 'the organization the person works for')
      .option('--role <system role>', 'staff, admin or auditor', 'staff');
  },
  async run(ctx, [username], options) {
    const services = await ctx.services();
    const organization = await new Lookups(await ctx.dataSource()).organization(String(options.organization));
    if (!organization) throw new CommandFailure(`No organization ${String(options.organization)}.`);
    const password = generatePassword();
    const body = await validated(
      CreateUserRequest,
      {
        username,
        password,
        displayName: options.name,
        organizationId: organization.id,
        systemRole: options.role,
      },
      ctx.profile(),
    );
    const user = await ctx.audited(() =>
      services.get(UsersService).create(body, ctx.requestContext(), { oneTime: true }),
    );
    ctx.output.out(`${password}\n`);
    ctx.output.err(
      `Created ${user.username} (${user.id}, ${user.systemRole}) in ${organization.name}. The password above is\n` +
        'one-time: it serves only to choose a new one.\n',
    );
  },
};
