/**
 * Every command of `npm run admin`, in the order `--help` lists them. To add one: write
 * `<name>.command.ts` exporting an AdminCommand (command.ts) and list it here.
 */
import type { AdminCommand } from '../command';
import { backup } from './backup.command';
import { createUser } from './create-user.command';
import { exportAudit } from './export-audit.command';
import { importCsv } from './import.command';
import { resetPassword } from './reset-password.command';
import { restore } from './restore.command';
import { rotateLogKeyCommand } from './rotate-log-key.command';
import { stuck } from './stuck.command';

export const COMMANDS: readonly AdminCommand[] = [
  resetPassword,
  createUser,
  importCsv,
  stuck,
  exportAudit,
  rotateLogKeyCommand,
  backup,
  restore,
];
