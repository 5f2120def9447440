/**
 * `npm run migrate`: applies migrations and bootstraps an empty database, then exits.
 * The production shape runs it as a one-shot service before the API and the worker, as the role
 * that owns the tables; with DATABASE_APP_ROLE set it then grants that role read/write on rows.
 */
import { exitOnFatal, loadConfig } from '@openccs/config';
import { loadProfile } from '@openccs/profile';
import { prepareDatabase } from './bootstrap';
import { createDataSource } from './data-source';
import { grantRuntimeRole } from './runtime-role';

async function main(): Promise<void> {
  const config = loadConfig('migrate', process.env);
  const ds = await createDataSource(config.databaseUrl ?? '', 'openccs-migrate').initialize();
  try {
    const result = await prepareDatabase(ds, {
      adminPassword: config.adminPassword,
      demoData: config.demoData,
      ...(config.demoData ? { profile: loadProfile(config.profile) } : {}),
    });
    const log = (msg: string, extra: Record<string, unknown> = {}) =>
      process.stdout.write(JSON.stringify({ level: 'info', msg, ...extra }) + '\n');
    log('database ready', { migrationsApplied: result.migrationsApplied, adminCreated: result.adminCreated });
    // The API and the worker connect as this role in production: rows only, never the tables.
    if (config.databaseAppRole) {
      const grant = await grantRuntimeRole(ds, config.databaseAppRole);
      log('granted the runtime role read/write on rows', { ...grant });
    }
    if (result.generatedAdminPassword) {
      log('created the admin user with a generated password; it is not shown again', {
        username: 'admin',
        password: result.generatedAdminPassword,
      });
    }
  } finally {
    await ds.destroy();
  }
}

main().catch(exitOnFatal('migrate'));
