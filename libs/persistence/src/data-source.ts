import { DataSource, QueryFailedError, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Schema changes only ever go through MIGRATIONS; `synchronize` stays off everywhere. */
export function dataSourceOptions(databaseUrl: string, applicationName: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    applicationName,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}

export function createDataSource(databaseUrl: string, applicationName: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, applicationName));
}

/** True when `err` is PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/** True when `err` is PostgreSQL's foreign_key_violation. */
export function isForeignKeyViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23503';
}

/**
 * True when PostgreSQL refused the data itself, so sending the same statement again can never
 * succeed: a data exception (class 22: NUL in text, a value out of range, an invalid instant),
 * an integrity violation (class 23) or a program limit (class 54: a value too large to index).
 * Connection loss, deadlocks and shutdowns are other classes and are worth retrying.
 */
export function isDataRejection(err: unknown): boolean {
  const code = (
    err instanceof QueryFailedError ? (err.driverError as { code?: unknown }) : (err as { code?: unknown })
  )?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

/**
 * True when the database could not be reached or is restarting: the request may succeed if
 * retried shortly, so the API answers 503, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const driver =
    err instanceof QueryFailedError ? (err.driverError as { code?: unknown; message?: unknown }) : err;
  const { code, message } = (driver ?? {}) as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    /^(08[0-9A-Z]{3}|57P0[1-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/.test(code)
  )
    return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|connect ECONNREFUSED/.test(
      message,
    )
  );
}
