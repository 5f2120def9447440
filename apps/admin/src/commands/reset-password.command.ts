/** `reset-password <username>`: a new one-time password; every session and token of the user ends. */
import { UsersService } from '../../../api/src/users/users.service';
import type { AdminCommand } from '../command';

export const resetPassword: AdminCommand = {
  usage: 'reset-password <username>',
  summary:
    'print a new one-time password for <username>; it ends their sessions and must be changed at sign-in',
  async run(ctx, [username]) {
    const users = (await ctx.services()).get(UsersService);
    const { user, password } = await ctx.audited(() =>
      users.issueOneTimePassword(username ?? '', ctx.requestContext()),
    );
    ctx.output.out(`${password}\n`);
    ctx.output.err(
      `One-time password for ${user.username} (${user.id}). Every session and token of the account has ended;\n` +
        `the password serves only to choose a new one (console sign-in says how, or POST /api/v1/users/${user.id}/password).\n`,
    );
  },
};
