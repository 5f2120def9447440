/**
 * The typed configuration of every OpenCCS process, validated once at start.
 * A bad or missing value stops the process with one message naming every problem.
 */
import { createPrivateKey } from 'node:crypto';
import proxyAddr from 'proxy-addr';
import { parseIsoDuration } from '@openccs/domain';
import { parsePayloadKeys, type PayloadKey } from './payload-keys';
import { VARIABLES, variableSpec, type ProcessName, type VariableName } from './variables';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
export type LogFormat = 'json' | 'pretty';

export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly http: { readonly port: number; readonly host: string };
  readonly databaseUrl: string | undefined;
  /** The least-privilege role the migration grants DML to (DATABASE_APP_ROLE); see docs/deployment.md. */
  readonly databaseAppRole: string | undefined;
  readonly embeddedPgPort: number;
  readonly temporal: {
    readonly address: string | undefined;
    readonly namespace: string;
    readonly taskQueue: string;
    readonly cli: string | undefined;
    readonly devPort: number;
    readonly uiPort: number;
    readonly maxCachedWorkflows: number | undefined;
    /** TEMPORAL_PAYLOAD_KEYS: the first encrypts, all decrypt; empty only where not required. */
    readonly payloadKeys: readonly PayloadKey[];
    /** TEMPORAL_CODEC_CORS_ORIGIN: the Temporal UI's origin, allowed to call the codec endpoint. */
    readonly codecCorsOrigin: string | undefined;
  };
  readonly dataDir: string;
  readonly adminPassword: string | undefined;
  readonly auth: {
    readonly jwtSecret: string | undefined;
    readonly accessTokenTtlSeconds: number;
    readonly lockoutAttempts: number;
    readonly lockoutSeconds: number;
    /** Sign-ins a minute one client may make that do not succeed (LOGIN_RATE_LIMIT). */
    readonly clientAttemptsPerMinute: number;
    /** A console session ends after this long without a request… */
    readonly sessionIdleSeconds: number;
    /** …and this long after sign-in, whatever. */
    readonly sessionMaxSeconds: number;
  };
  readonly demoData: boolean;
  readonly logLevel: LogLevel;
  /** One JSON object a line, or short lines for a person (LOG_FORMAT). */
  readonly logFormat: LogFormat;
  /** Prometheus endpoints and OpenTelemetry traces (docs/operations.md, "Metrics and tracing"). */
  readonly observability: {
    /** The worker's /metrics port; 0: none. */
    readonly workerMetricsPort: number;
    /** When set, /metrics asks for it as a bearer token. */
    readonly metricsToken: string | undefined;
    /** OTLP/HTTP base URL; unset: no tracing. */
    readonly otlpEndpoint: string | undefined;
  };
  /** The deployment profile's name or directory (`@openccs/profile` loads it). */
  readonly profile: string;
  readonly deadlines: {
    readonly reminderPoints: readonly number[];
  };
  readonly webhooks: { readonly retryInitialSeconds: number };
  /** Failed attempts in a row after which an activity counts as stuck. */
  readonly stuckAfterAttempts: number;
  readonly disclosure: {
    readonly signingKey: string | undefined;
    /** The next key, during a rotation (LOG_SIGNING_KEY_NEXT). */
    readonly nextSigningKey: string | undefined;
    readonly oc4idsPrefix: string;
  };
  readonly publicApi: {
    readonly rateLimitPerMinute: number;
    readonly cacheBytes: number;
    /** Origin (and optional path prefix) of every absolute link; no trailing slash. */
    readonly publicUrl: string;
  };
  /** Citizen feedback: key material, proof-of-work difficulty, hourly limits. */
  readonly feedback: {
    readonly secret: string | undefined;
    readonly powMaxNumber: number;
    readonly clientLimit: number;
    readonly projectLimit: number;
  };
  /** The portal map's raster tiles: a URL template and the attribution their licence asks for. */
  readonly map: { readonly tilesUrl: string; readonly attribution: string };
  /** Express's `trust proxy` setting: which hops' X-Forwarded-For counts. */
  readonly trustProxy: TrustProxy;
  readonly files: FilesConfig;
}

export interface FilesConfig {
  readonly store: 'local' | 's3';
  /** The local store, and uploads in progress (on the same file system, so a rename stores them). */
  readonly dir: string;
  readonly maxUploadBytes: number;
  /** Type names of UPLOAD_TYPES (see `@openccs/files`' table). */
  readonly allowedTypes: readonly string[];
  readonly s3: {
    readonly endpoint: string | undefined;
    readonly bucket: string | undefined;
    readonly region: string;
    readonly accessKeyId: string | undefined;
    readonly secretAccessKey: string | undefined;
    readonly forcePathStyle: boolean;
  };
}

/** The type names UPLOAD_TYPES may list. */
export const UPLOAD_TYPE_NAMES = [
  'pdf',
  'jpeg',
  'png',
  'webp',
  'heic',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'odp',
  'dwg',
  'dxf',
] as const;

export type TrustProxy = false | number | readonly string[];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

class Reader {
  readonly problems: string[] = [];
  constructor(
    private readonly env: Env,
    private readonly process: ProcessName,
  ) {}

  /** The raw value, its default, or `undefined`; records a problem when the process requires it. */
  raw(name: VariableName): string | undefined {
    const spec = variableSpec(name);
    const value = this.env[name];
    if (value !== undefined && value !== '') return value;
    if (spec.requiredBy?.includes(this.process))
      this.problems.push(`${name} is required by the ${this.process}`);
    return spec.default;
  }

  parse<T>(name: VariableName, fallback: T, parser: (raw: string) => T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    try {
      return parser(raw);
    } catch (err) {
      const shown = variableSpec(name).secret ? '' : ` (got '${raw}')`;
      this.problems.push(`${name} ${(err as Error).message}${shown}`);
      return fallback;
    }
  }
}

function port(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 0 || n > 65535) throw new Error('must be a port number between 0 and 65535');
  return n;
}

function oneOf<T extends string>(...allowed: readonly T[]): (raw: string) => T {
  return (raw) => {
    if (!(allowed as readonly string[]).includes(raw))
      throw new Error(`must be one of ${allowed.join(', ')}`);
    return raw as T;
  };
}

function minLength(min: number): (raw: string) => string {
  return (raw) => {
    if (raw.length < min) throw new Error(`must be at least ${min} characters long`);
    return raw;
  };
}

function boolean(raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error('must be true or false');
}

function postgresUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be a URL such as postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error('must start with postgres:// or postgresql://');
  }
  return raw;
}

/** A plain PostgreSQL role name: it is written into GRANT statements, so nothing that needs quoting. */
function roleName(raw: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) {
    throw new Error('must be a lower-case PostgreSQL role name (letters, digits, underscores)');
  }
  return raw;
}

function hostPort(raw: string): string {
  if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(raw)) throw new Error('must be host:port');
  return raw;
}

function fractions(raw: string): number[] {
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (raw.trim() === '' || values.some((v) => !Number.isFinite(v) || v <= 0 || v >= 1)) {
    throw new Error('must be comma-separated fractions between 0 and 1, such as 0.5,0.9');
  }
  // Each reminder is kept in the report's state (docs/limits.md counts on at most ten).
  if (values.length > 10) throw new Error('must list at most 10 fractions');
  return [...new Set(values)].sort();
}

function ed25519Key(raw: string): string {
  const pem = raw.includes('BEGIN') ? raw : Buffer.from(raw, 'base64').toString('utf8');
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    throw new Error('must be an Ed25519 private key in PKCS#8 PEM (or base64 of it)');
  }
  if (type !== 'ed25519') throw new Error(`must be an Ed25519 key, not ${type}`);
  return pem;
}

function siteUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be an absolute URL such as https://openccs.example.org');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username)
    throw new Error('must be an http(s) URL without query, fragment or credentials');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** An origin (scheme, host, port) as browsers send it in `Origin`. */
function webOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be an origin such as https://temporal.example.gov');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== raw.replace(/\/$/, ''))
    throw new Error('must be an origin: http(s)://host[:port], without path, query or credentials');
  return url.origin;
}

/** A tile URL template: http(s), with {z}, {x} and {y}; its origin goes into the CSP's img-src. */
function tilesUrl(raw: string): string {
  const probe = raw.replace(/\{[a-z]\}/g, '0');
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    throw new Error('must be a URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('must be an http(s) URL');
  for (const part of ['{z}', '{x}', '{y}'])
    if (!raw.includes(part)) throw new Error(`must hold ${part} (a template such as .../{z}/{x}/{y}.png)`);
  return raw;
}

/**
 * The origin tiles come from, as a Content-Security-Policy source: a `{s}` subdomain becomes a
 * wildcard (`https://*.tile.example.org`).
 */
export function tilesOrigin(template: string): string {
  const url = new URL(template.replace('{s}', 'subdomain').replace(/\{[a-z]\}/g, '0'));
  const host = template.includes('{s}.') ? url.host.replace(/^subdomain\./, '*.') : url.host;
  return `${url.protocol}//${host}`;
}

/** Where a local `npm start` is reached: localhost unless the API binds one specific address. */
function defaultPublicUrl(host: string, port: number): string {
  const local = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host);
  const name = local ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

function trustProxy(raw: string): TrustProxy {
  if (raw === 'false' || raw === '0') return false;
  if (/^[1-9]\d?$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((e) => e.trim());
  try {
    proxyAddr.compile(entries);
  } catch {
    throw new Error(
      'must be false, a number of hops, or addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    );
  }
  return entries;
}

function typeList(raw: string): string[] {
  const names = raw
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(UPLOAD_TYPE_NAMES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(
      `must list some of ${UPLOAD_TYPE_NAMES.join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}`,
    );
  return [...new Set(names)];
}

function byteCount(raw: string): number {
  if (!/^[1-9]\d{0,12}$/.test(raw)) throw new Error('must be a positive whole number of bytes');
  return Number(raw);
}

function positiveInteger(raw: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new Error('must be a positive whole number');
  return Number(raw);
}

function positiveDurationSeconds(raw: string): number {
  const seconds = parseIsoDuration(raw);
  if (seconds === undefined || seconds <= 0)
    throw new Error('must be a positive ISO 8601 duration such as PT1H');
  return seconds;
}

function filesConfig(r: Reader): FilesConfig {
  const dataDir = r.raw('OPENCCS_DATA_DIR') ?? '.data';
  const dirRaw = r.raw('FILE_DIR');
  const store = r.parse('FILE_STORE', 'local' as const, oneOf<'local' | 's3'>('local', 's3'));
  const s3 = {
    endpoint: r.parse('S3_ENDPOINT', undefined, siteUrl),
    bucket: r.raw('S3_BUCKET'),
    region: r.raw('S3_REGION') ?? 'us-east-1',
    accessKeyId: r.raw('S3_ACCESS_KEY_ID'),
    secretAccessKey: r.raw('S3_SECRET_ACCESS_KEY'),
    forcePathStyle: r.parse('S3_FORCE_PATH_STYLE', true, boolean),
  };
  if (store === 's3' && !s3.bucket) r.problems.push('S3_BUCKET is required when FILE_STORE=s3');
  if (Boolean(s3.accessKeyId) !== Boolean(s3.secretAccessKey))
    r.problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
  return {
    store,
    dir: !dirRaw || dirRaw === '$OPENCCS_DATA_DIR/files' ? `${dataDir}/files` : dirRaw,
    maxUploadBytes: r.parse('MAX_UPLOAD_BYTES', 50 * 1024 * 1024, byteCount),
    allowedTypes: r.parse('UPLOAD_TYPES', [...UPLOAD_TYPE_NAMES], typeList),
    s3,
  };
}

/** Reads and validates the configuration `process` needs; throws one `ConfigError` listing every problem. */
export function loadConfig(process: ProcessName, env: Env): AppConfig {
  const r = new Reader(env, process);
  const nodeEnv = r.parse('NODE_ENV', 'development', oneOf<NodeEnv>('development', 'production', 'test'));
  const http = { port: r.parse('PORT', 3000, port), host: r.raw('HOST') ?? '127.0.0.1' };
  const config: AppConfig = {
    nodeEnv,
    http,
    databaseUrl: r.parse('DATABASE_URL', undefined, postgresUrl),
    databaseAppRole: r.parse('DATABASE_APP_ROLE', undefined, roleName),
    embeddedPgPort: r.parse('EMBEDDED_PG_PORT', 54329, port),
    temporal: {
      address: r.parse('TEMPORAL_ADDRESS', undefined, hostPort),
      namespace: r.raw('TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: r.raw('TEMPORAL_TASK_QUEUE') ?? 'openccs',
      cli: r.raw('TEMPORAL_CLI'),
      devPort: r.parse('TEMPORAL_DEV_PORT', 7233, port),
      uiPort: r.parse('TEMPORAL_UI_PORT', 8233, port),
      maxCachedWorkflows: r.parse('WORKER_MAX_CACHED_WORKFLOWS', undefined, positiveInteger),
      payloadKeys: r.parse('TEMPORAL_PAYLOAD_KEYS', [], parsePayloadKeys),
      codecCorsOrigin: r.parse('TEMPORAL_CODEC_CORS_ORIGIN', undefined, webOrigin),
    },
    dataDir: r.raw('OPENCCS_DATA_DIR') ?? '.data',
    adminPassword: r.parse('ADMIN_PASSWORD', undefined, minLength(12)),
    auth: {
      jwtSecret: r.parse('JWT_SECRET', undefined, minLength(32)),
      accessTokenTtlSeconds: r.parse('ACCESS_TOKEN_TTL', 3600, positiveDurationSeconds),
      lockoutAttempts: r.parse('LOGIN_LOCKOUT_ATTEMPTS', 5, positiveInteger),
      lockoutSeconds: r.parse('LOGIN_LOCKOUT_DURATION', 900, positiveDurationSeconds),
      clientAttemptsPerMinute: r.parse('LOGIN_RATE_LIMIT', 30, positiveInteger),
      sessionIdleSeconds: r.parse('CONSOLE_SESSION_IDLE', 1800, positiveDurationSeconds),
      sessionMaxSeconds: r.parse('CONSOLE_SESSION_MAX', 43200, positiveDurationSeconds),
    },
    demoData: r.parse('OPENCCS_DEMO_DATA', true, boolean),
    logLevel: r.parse(
      'LOG_LEVEL',
      'info',
      oneOf<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace'),
    ),
    logFormat: r.parse(
      'LOG_FORMAT',
      nodeEnv === 'development' ? 'pretty' : 'json',
      oneOf<LogFormat>('json', 'pretty'),
    ),
    observability: {
      workerMetricsPort: r.parse('WORKER_METRICS_PORT', 9464, port),
      metricsToken: r.parse('METRICS_TOKEN', undefined, minLength(16)),
      otlpEndpoint: r.parse('OTEL_EXPORTER_OTLP_ENDPOINT', undefined, siteUrl),
    },
    profile: r.raw('OPENCCS_PROFILE') ?? 'seoul',
    deadlines: {
      reminderPoints: r.parse('REMINDER_POINTS', [0.5, 0.9], fractions),
    },
    webhooks: { retryInitialSeconds: r.parse('WEBHOOK_RETRY_INITIAL', 10, positiveDurationSeconds) },
    stuckAfterAttempts: r.parse('STUCK_AFTER_ATTEMPTS', 5, positiveInteger),
    disclosure: {
      signingKey: r.parse('LOG_SIGNING_KEY', undefined, ed25519Key),
      nextSigningKey: r.parse('LOG_SIGNING_KEY_NEXT', undefined, ed25519Key),
      oc4idsPrefix: r.raw('OC4IDS_PREFIX') ?? 'oc4ids-openccs',
    },
    publicApi: {
      rateLimitPerMinute: r.parse('PUBLIC_RATE_LIMIT', 600, positiveInteger),
      cacheBytes: r.parse('PUBLIC_CACHE_BYTES', 32 * 1024 * 1024, positiveInteger),
      publicUrl: r.parse('PUBLIC_URL', undefined, siteUrl) ?? defaultPublicUrl(http.host, http.port),
    },
    feedback: {
      secret: r.parse('FEEDBACK_SECRET', undefined, minLength(32)),
      powMaxNumber: r.parse('FEEDBACK_POW_MAX_NUMBER', 250_000, positiveInteger),
      clientLimit: r.parse('FEEDBACK_CLIENT_LIMIT', 5, positiveInteger),
      projectLimit: r.parse('FEEDBACK_PROJECT_LIMIT', 60, positiveInteger),
    },
    map: {
      tilesUrl: r.parse('MAP_TILES_URL', 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', tilesUrl),
      attribution: r.raw('MAP_TILES_ATTRIBUTION') ?? '© OpenStreetMap contributors',
    },
    trustProxy: r.parse('TRUST_PROXY', false, trustProxy),
    files: filesConfig(r),
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** The names of every variable, for checks that nothing outside the table is configured. */
export const VARIABLE_NAMES: ReadonlySet<string> = new Set(VARIABLES.map((v) => v.name));
