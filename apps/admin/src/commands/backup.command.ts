/** `backup <dir>`: a copy of what `npm start` keeps, taken while it is stopped (docs/backup.md). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdminCommand } from '../command';
import { CommandFailure } from '../context';
import {
  copyTree,
  isEmptyOrMissing,
  MANIFEST,
  refuseWhileRunning,
  within,
  type Manifest,
} from '../backup/data-dir';

export const backup: AdminCommand = {
  usage: 'backup <dir>',
  summary:
    "copy npm start's data dir (PostgreSQL, Temporal, secrets, files) into <dir>; npm start must be stopped",
  async run(ctx, [target]) {
    if (ctx.launcher.databaseUrl || ctx.env.TEMPORAL_ADDRESS)
      throw new CommandFailure(
        'backup copies the data dir of npm start; with DATABASE_URL or TEMPORAL_ADDRESS set, follow the production procedure of docs/backup.md.',
      );
    const dataDir = ctx.dataDir;
    const dir = resolve(target ?? '');
    if (!existsSync(join(dataDir, 'secrets.json')))
      throw new CommandFailure(`${dataDir} holds no data of npm start (no secrets.json).`);
    if (!isEmptyOrMissing(dir))
      throw new CommandFailure(`${dir} is not empty: back up into a new directory.`);
    if (within(dataDir, dir)) throw new CommandFailure(`${dir} lies inside the data dir ${dataDir}.`);
    refuseWhileRunning(dataDir, 'backing it up');

    const fileDir = resolve(ctx.launcher.files.dir);
    const externalFiles =
      ctx.launcher.files.store === 'local' && !within(dataDir, fileDir) && existsSync(fileDir);
    // Uploads in progress are not kept: the API removes what a dead upload left anyway.
    const staging = join(fileDir, 'staging');
    copyTree(dataDir, join(dir, 'data'), (path) => path === staging);
    if (externalFiles) copyTree(fileDir, join(dir, 'files'), (path) => path === staging);
    const pgVersion = join(dataDir, 'postgres', 'PG_VERSION');
    const manifest: Manifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      postgresVersion: existsSync(pgVersion) ? readFileSync(pgVersion, 'utf8').trim() : null,
      externalFileDir: externalFiles ? fileDir : null,
      operator: ctx.operator,
    };
    writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    ctx.output.out(`${dir}\n`);
    ctx.output.err(
      `Backed up ${dataDir}${externalFiles ? ` and ${fileDir}` : ''} to ${dir}. It holds secrets.json (the log's signing key, ` +
        `the JWT and feedback secrets, the database password): keep it as you keep them.` +
        (ctx.launcher.files.store === 's3'
          ? ' The S3 file store is not in it: back the bucket up as well.'
          : '') +
        '\n',
    );
  },
};
