/**
 * `npm run admin -- <command>`: the operator's command line (commands/index.ts lists them).
 * Exit codes: 0 done, 1 failed or refused, 2 wrong usage.
 */
import { Command, CommanderError } from 'commander';
import type { AdminCommand } from './command';
import { COMMANDS } from './commands';
import { AdminContext, CommandFailure, UsageError, type Output } from './context';
import { refusalOf } from './refusal';

const stdio: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs one command line; resolves with the exit code. */
export async function runAdmin(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  let code = 0;
  const program = new Command('npm run admin --')
    .description(
      'OpenCCS administration: works against DATABASE_URL, else the embedded PostgreSQL of npm start',
    )
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: output.out, writeErr: output.err });
  for (const command of COMMANDS) {
    const cli = program.command(command.usage).description(command.summary).exitOverride();
    command.options?.(cli);
    cli.action(async (...values: unknown[]) => {
      const self = values[values.length - 1] as Command;
      code = await execute(command, self.args, self.opts(), env, output);
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
}

async function execute(
  command: AdminCommand,
  args: string[],
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  let ctx: AdminContext | undefined;
  try {
    ctx = new AdminContext(env, output);
    return (await command.run(ctx, args, options)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      output.err(`error: ${err.message}\n`);
      return 2;
    }
    const refusal = err instanceof CommandFailure ? err.message : refusalOf(err);
    output.err(`error: ${refusal ?? (err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    return 1;
  } finally {
    await ctx?.close().catch((err: unknown) => output.err(`error while stopping: ${String(err)}\n`));
  }
}

if (require.main === module) {
  runAdmin(process.argv.slice(2), process.env, stdio).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
