/**
 * One admin command: its command line, what it does, and its action. Adding a command is one
 * file under commands/ exporting an AdminCommand, listed once in commands/index.ts.
 */
import type { Command } from 'commander';
import type { AdminContext } from './context';

export interface AdminCommand {
  /** The command and its arguments as commander reads them, e.g. `reset-password <username>`. */
  readonly usage: string;
  /** One line for `npm run admin -- --help`. */
  readonly summary: string;
  /** Declares the command's options. */
  options?(command: Command): void;
  /**
   * Does the work; resolves with the exit code (0 when nothing is said). Throwing UsageError
   * exits 2, CommandFailure or anything else 1.
   */
  run(ctx: AdminContext, args: string[], options: Record<string, unknown>): Promise<number | void>;
}
