/**
 * `restore <dir>`: puts a backup back as npm start's data dir. Into an empty or new data dir only;
 * with --force an existing one (of a stopped system) is moved aside, never deleted: it holds the
 * records and signed heads the public saw after the backup (docs/backup.md, "After a restore").
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdminCommand } from '../command';
import { CommandFailure } from '../context';
import { copyTree, isEmptyOrMissing, MANIFEST, refuseWhileRunning, type Manifest } from '../backup/data-dir';

export const restore: AdminCommand = {
  usage: 'restore <dir>',
  summary:
    "restore a backup of npm start's data dir (into an empty data dir, or --force to move the old one aside)",
  options(command) {
    command.option('--force', 'move an existing data dir aside (to <data dir>.before-restore-<time>) first');
  },
  async run(ctx, [source], options) {
    if (ctx.launcher.databaseUrl || ctx.env.TEMPORAL_ADDRESS)
      throw new CommandFailure(
        'restore writes the data dir of npm start; with DATABASE_URL or TEMPORAL_ADDRESS set, follow the production procedure of docs/backup.md.',
      );
    const dir = resolve(source ?? '');
    const manifestPath = join(dir, MANIFEST);
    if (!existsSync(manifestPath)) throw new CommandFailure(`${dir} is not a backup (no ${MANIFEST}).`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.format !== 1)
      throw new CommandFailure(`${dir} is a backup of format ${manifest.format}, not 1.`);
    const dataDir = ctx.dataDir;
    const fileDir = resolve(ctx.launcher.files.dir);
    const externalFiles = manifest.externalFileDir !== null;
    let movedAside: string | undefined;
    if (!isEmptyOrMissing(dataDir) || (externalFiles && !isEmptyOrMissing(fileDir))) {
      if (options.force !== true)
        throw new CommandFailure(
          `${dataDir} is not empty: restore into a new data dir (OPENCCS_DATA_DIR), or add --force to move it aside.`,
        );
      refuseWhileRunning(dataDir, 'restoring over it');
      const stamp = new Date().toISOString().replaceAll(':', '-');
      movedAside = `${dataDir}.before-restore-${stamp}`;
      if (existsSync(dataDir)) renameSync(dataDir, movedAside);
      if (externalFiles && existsSync(fileDir)) renameSync(fileDir, `${fileDir}.before-restore-${stamp}`);
    }
    copyTree(join(dir, 'data'), dataDir);
    if (externalFiles) copyTree(join(dir, 'files'), fileDir);
    ctx.output.err(
      `Restored the backup of ${manifest.createdAt} into ${dataDir}${externalFiles ? ` and ${fileDir}` : ''}.` +
        (movedAside ? ` The data dir it replaced is in ${movedAside}: keep it (docs/backup.md).` : '') +
        ' Start it with npm start. Anything published after the backup is gone from this log: follow "After a restore" in docs/backup.md.\n',
    );
  },
};
