/**
 * No Docker engine runs here, so the production shape is checked statically: the services the
 * issue names, health checks, start order, and environment variables that the config module
 * knows and requires.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { VARIABLE_NAMES, VARIABLES, type ProcessName } from '@openccs/config';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

const root = join(__dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const ours: Record<string, ProcessName> = { api: 'api', worker: 'worker', migrate: 'migrate' };

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Temporal on PostgreSQL with its UI, SeaweedFS, the migration, the API and the worker', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'migrate',
      'postgres',
      'seaweedfs',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
      'worker',
    ]);
    // Files in the object store, so the API keeps no state of its own.
    expect(services.api?.environment).toMatchObject({
      FILE_STORE: 's3',
      S3_ENDPOINT: 'http://seaweedfs:8333',
    });
    expect(services.seaweedfs?.image).toMatch(/^chrislusf\/seaweedfs:\d/);
    // Temporal's current images: the server, and admin-tools jobs for its schema and namespace.
    expect(services.temporal?.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    expect(services.temporal?.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgres',
      POSTGRES_USER: 'temporal',
    });
    const adminTools = services['temporal-schema']?.image?.replace('admin-tools', 'server');
    expect(adminTools).toBe(services.temporal?.image);
    expect(services['temporal-namespace']?.image).toBe(services['temporal-schema']?.image);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    for (const name of Object.keys(ours)) expect(services[name]?.build).toBe('.');
  });

  it('gives every long-running service a health check; only the one-shot jobs have none', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.restart === 'no')
        expect(['migrate', 'temporal-schema', 'temporal-namespace']).toContain(name);
      else expect(service.healthcheck?.test).toBeDefined();
    }
  });

  it('starts each part only after what it needs: schema, server, namespace, migration', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
    }
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services['temporal-schema']?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.temporal?.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(services['temporal-namespace']?.depends_on).toEqual({
      temporal: { condition: 'service_healthy' },
    });
  });

  it('migrates as the owner of the tables and runs the API and the worker as the least-privilege role', () => {
    expect(services.migrate?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/openccs:/);
    expect(services.migrate?.environment?.DATABASE_APP_ROLE).toBe('openccs_app');
    for (const name of ['api', 'worker']) {
      expect(services[name]?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/openccs_app:/);
    }
  });

  it('configures our processes only with variables the config module knows, including every one it requires', () => {
    for (const [name, process] of Object.entries(ours)) {
      const env = Object.keys(services[name]?.environment ?? {});
      expect(env.filter((v) => !VARIABLE_NAMES.has(v))).toEqual([]);
      const required = VARIABLES.filter((v) =>
        (v as { requiredBy?: readonly string[] }).requiredBy?.includes(process),
      );
      expect(required.map((v) => v.name).filter((v) => !env.includes(v))).toEqual([]);
      expect(services[name]?.environment?.NODE_ENV).toBe('production');
    }
  });

  it('takes secrets from the environment, never inline', () => {
    const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    for (const secret of [
      'POSTGRES_PASSWORD',
      'OPENCCS_DB_OWNER_PASSWORD',
      'OPENCCS_DB_APP_PASSWORD',
      'TEMPORAL_DB_PASSWORD',
      'JWT_SECRET',
      'FEEDBACK_SECRET',
      'ADMIN_PASSWORD',
      'LOG_SIGNING_KEY',
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
    ]) {
      expect(text).toContain(`\${${secret}:?`);
    }
    for (const service of Object.values(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|PWD|KEY/.test(key)) expect(String(value)).toMatch(/^\$\{[A-Z0-9_]+:\?/);
      }
    }
  });

  it('runs the commands the build produces', () => {
    expect(services.api?.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(services.worker?.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(services.migrate?.command).toEqual(['node', 'dist/libs/persistence/src/migrate.cli.js']);
  });
});
