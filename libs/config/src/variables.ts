/**
 * Every environment variable OpenCCS reads, in one table. The typed config, the start-up
 * validation, the README's configuration table and the docker-compose check all derive from it,
 * so a variable cannot exist in one place and be missing from another.
 */

/** The processes that read configuration; a variable may be required by some of them only. */
export type ProcessName = 'launcher' | 'api' | 'worker' | 'migrate';

export interface VariableSpec {
  readonly name: string;
  readonly description: string;
  /** Shown in the README; `undefined` means no default. */
  readonly default?: string;
  /** Processes that refuse to start without it. */
  readonly requiredBy?: readonly ProcessName[];
  /** Never echoed in error messages or logs. */
  readonly secret?: boolean;
}

export const VARIABLES = [
  {
    name: 'NODE_ENV',
    description: '`development`, `production` or `test`.',
    default: 'development',
  },
  { name: 'PORT', description: 'HTTP port of the API.', default: '3000' },
  {
    name: 'HOST',
    description:
      'Interface the API, and the worker’s metrics endpoint, bind to (`0.0.0.0` to accept connections from other hosts).',
    default: '127.0.0.1',
  },
  {
    name: 'DATABASE_URL',
    description:
      'PostgreSQL connection URL. Unset under `npm start`: an embedded PostgreSQL is started under the data dir.',
    requiredBy: ['api', 'worker', 'migrate'],
    secret: true,
  },
  {
    name: 'DATABASE_APP_ROLE',
    description:
      'Read by the migration only: a PostgreSQL role it grants read/write on every table to (and on the tables of later migrations), never ownership, so the API and the worker connecting as it cannot disable or drop the append-only triggers, nor update or delete the audit and log tables. Unset: no grants (the API and the worker then use the owner, as under `npm start`). See docs/deployment.md.',
  },
  {
    name: 'TEMPORAL_ADDRESS',
    description: 'Temporal frontend `host:port`. Unset under `npm start`: a Temporal dev server is started.',
    requiredBy: ['api', 'worker'],
  },
  { name: 'TEMPORAL_NAMESPACE', description: 'Temporal namespace.', default: 'default' },
  {
    name: 'TEMPORAL_TASK_QUEUE',
    description: 'Task queue shared by the API and the worker.',
    default: 'openccs',
  },
  {
    name: 'TEMPORAL_PAYLOAD_KEYS',
    description:
      'AES-256 keys encrypting what OpenCCS stores in Temporal: comma-separated `id:base64` of 32 bytes (`openssl rand -base64 32`). The first encrypts, all decrypt; to rotate, put a new key first (docs/operations.md). Unset under `npm start`: generated once and kept under the data dir.',
    requiredBy: ['api', 'worker'],
    secret: true,
  },
  {
    name: 'TEMPORAL_CODEC_CORS_ORIGIN',
    description:
      "The Temporal UI's origin (e.g. `https://temporal.example.gov`), the one browser origin allowed to call the payload codec endpoint `/api/v1/temporal/codec` (docs/operations.md). Unset: no browser origin may; the `temporal` CLI still can.",
  },
  {
    name: 'WORKER_MAX_CACHED_WORKFLOWS',
    description:
      'How many running workflows a worker keeps in memory (about 0.4 MiB each; an evicted one is replayed from its history when it next moves). Unset: the Temporal SDK sizes it from the heap (about 2,300 on a 4 GiB heap).',
  },
  {
    name: 'TEMPORAL_CLI',
    description:
      'Path to a `temporal` CLI for the embedded dev server; else `temporal` on PATH, else a project-local pip install, else the SDK download.',
  },
  { name: 'TEMPORAL_DEV_PORT', description: 'Port of the embedded Temporal dev server.', default: '7233' },
  {
    name: 'TEMPORAL_UI_PORT',
    description: 'Port of the embedded Temporal dev server Web UI (`0` disables it).',
    default: '8233',
  },
  {
    name: 'EMBEDDED_PG_PORT',
    description: 'Port of the embedded PostgreSQL (used only when `DATABASE_URL` is unset).',
    default: '54329',
  },
  {
    name: 'OPENCCS_DATA_DIR',
    description: 'Local state of `npm start`: embedded PostgreSQL, Temporal SQLite file, generated secrets.',
    default: '.data',
  },
  {
    name: 'ADMIN_PASSWORD',
    description:
      'Password of the `admin` user created on an empty database (at least 12 characters). Unset: one is generated and printed once.',
    secret: true,
  },
  {
    name: 'JWT_SECRET',
    description:
      'HMAC key signing access tokens (at least 32 characters). Unset under `npm start`: generated once and kept under the data dir.',
    requiredBy: ['api'],
    secret: true,
  },
  {
    name: 'ACCESS_TOKEN_TTL',
    description: 'Lifetime of an access token, ISO 8601 duration.',
    default: 'PT1H',
  },
  {
    name: 'LOGIN_LOCKOUT_ATTEMPTS',
    description: 'Failed sign-ins in a row after which a username is locked out.',
    default: '5',
  },
  {
    name: 'LOGIN_LOCKOUT_DURATION',
    description: 'How long a locked-out username must wait (ISO 8601 duration).',
    default: 'PT15M',
  },
  {
    name: 'LOGIN_RATE_LIMIT',
    description:
      'Sign-in attempts per minute one client (IP address) may make, whatever the usernames, that do not succeed: each costs a password hash, so this bounds the work one client can cause. A successful sign-in is given back.',
    default: '30',
  },
  {
    name: 'CONSOLE_SESSION_IDLE',
    description:
      'A staff console session ends after this long without a request (ISO 8601 duration); signing in again starts a new one.',
    default: 'PT30M',
  },
  {
    name: 'CONSOLE_SESSION_MAX',
    description:
      'A staff console session ends this long after sign-in however active it is (ISO 8601 duration).',
    default: 'PT12H',
  },
  {
    name: 'OPENCCS_PROFILE',
    description:
      'The deployment profile: a shipped one by name (`seoul`, `tunisia`) or the path of a profile directory. It holds the report kinds and their rules, the working calendar, the currency, the languages, the disclosure rules and the demo data (see `docs/profiles.md`).',
    default: 'seoul',
  },
  {
    name: 'REMINDER_POINTS',
    description:
      'When assignees are reminded, as fractions of the way from a step opening to its deadline (comma-separated; `0.5,0.9` = halfway and one tenth before).',
    default: '0.5,0.9',
  },
  {
    name: 'WEBHOOK_RETRY_INITIAL',
    description:
      'First retry delay of a failed webhook delivery (ISO 8601); each retry doubles it, up to 8 attempts.',
    default: 'PT10S',
  },
  {
    name: 'LOG_SIGNING_KEY',
    description:
      'Ed25519 private key (PKCS#8 PEM, or base64 of it) signing the public log. Unset under `npm start`: generated once and kept under the data dir.',
    requiredBy: ['worker', 'api'],
    secret: true,
  },
  {
    name: 'LOG_SIGNING_KEY_NEXT',
    description:
      'During a log key rotation only: the next Ed25519 private key (as `LOG_SIGNING_KEY`). A process holding both signs with whichever the log says is in force, so `npm run admin -- rotate-log-key` needs no restart after it (docs/operations.md, "Rotating the log signing key").',
    secret: true,
  },
  {
    name: 'STUCK_AFTER_ATTEMPTS',
    description:
      'Failed attempts in a row after which a report’s activity (storing, publishing, notifying) counts as stuck: readiness reports it and `GET /api/v1/admin/stuck` lists the report.',
    default: '5',
  },
  {
    name: 'OC4IDS_PREFIX',
    description:
      'Prefix of OC4IDS project identifiers (your registered `oc4ids-xxxxxx` prefix); the project code follows it.',
    default: 'oc4ids-openccs',
  },
  {
    name: 'FILE_STORE',
    description:
      'Where uploaded files are kept, content-addressed by SHA-256: `local` (under `FILE_DIR`) or `s3` (any S3-compatible store, `S3_*`).',
    default: 'local',
  },
  {
    name: 'FILE_DIR',
    description: 'Directory of the local file store, and of uploads in progress in either mode.',
    default: '$OPENCCS_DATA_DIR/files',
  },
  {
    name: 'MAX_UPLOAD_BYTES',
    description:
      'Largest file one upload may carry (bytes); larger ones are refused with 413 and leave nothing behind.',
    default: '52428800',
  },
  {
    name: 'UPLOAD_TYPES',
    description:
      'The file types an upload may be, as sniffed from its bytes: a comma-separated list of `pdf`, `jpeg`, `png`, `webp`, `heic`, `doc`, `docx`, `xls`, `xlsx`, `ppt`, `pptx`, `odt`, `ods`, `odp`, `dwg`, `dxf`.',
    default: 'pdf,jpeg,png,webp,heic,doc,docx,xls,xlsx,ppt,pptx,odt,ods,odp,dwg,dxf',
  },
  {
    name: 'S3_ENDPOINT',
    description:
      "With `FILE_STORE=s3`: the store's URL (e.g. `http://seaweedfs:8333`); unset for Amazon S3 itself.",
  },
  {
    name: 'S3_BUCKET',
    description: 'With `FILE_STORE=s3`: the bucket; the API creates it at start when it does not exist.',
  },
  { name: 'S3_REGION', description: 'With `FILE_STORE=s3`: the region.', default: 'us-east-1' },
  {
    name: 'S3_ACCESS_KEY_ID',
    description: "With `FILE_STORE=s3`: the access key; unset to use the SDK's default credential chain.",
    secret: true,
  },
  { name: 'S3_SECRET_ACCESS_KEY', description: 'With `FILE_STORE=s3`: the secret key.', secret: true },
  {
    name: 'S3_FORCE_PATH_STYLE',
    description:
      'With `FILE_STORE=s3`: address buckets as `endpoint/bucket` (most self-hosted stores) rather than `bucket.endpoint`.',
    default: 'true',
  },
  {
    name: 'PUBLIC_RATE_LIMIT',
    description: 'Requests per minute one client (IP address) may make to the public API and the portal.',
    default: '600',
  },
  {
    name: 'PUBLIC_CACHE_BYTES',
    description:
      'Memory the API may use to keep full pages of the public log, which never change (bytes; the least recently used page goes first).',
    default: '33554432',
  },
  {
    name: 'FEEDBACK_SECRET',
    description:
      'Key material (at least 32 characters) from which the API derives the key encrypting citizens’ contacts at rest (AES-256-GCM) and the key signing feedback proof-of-work challenges. Unset under `npm start`: generated once and kept under the data dir. Changing it makes stored contacts unreadable.',
    requiredBy: ['api'],
    secret: true,
  },
  {
    name: 'FEEDBACK_POW_MAX_NUMBER',
    description:
      'Difficulty of the feedback proof-of-work: the browser tries up to this many SHA-256 hashes (half on average) before it may send (docs/feedback.md measures what it costs a citizen and an abuser).',
    default: '250000',
  },
  {
    name: 'FEEDBACK_CLIENT_LIMIT',
    description:
      'Feedback one client (IP address, as TRUST_PROXY tells it) may send per hour, follow-ups included.',
    default: '5',
  },
  {
    name: 'FEEDBACK_PROJECT_LIMIT',
    description: 'Feedback one project may receive per hour from everyone together.',
    default: '60',
  },
  {
    name: 'MAP_TILES_URL',
    description:
      'Raster tiles of the portal’s map, as a URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`). Use your own tile server for real traffic: OpenStreetMap’s tile usage policy allows light use only. When tiles cannot be reached the map shows the projects on a blank background and the list beside it still works.',
    default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  },
  {
    name: 'MAP_TILES_ATTRIBUTION',
    description: 'The attribution the tiles’ licence asks for, shown on the map.',
    default: '© OpenStreetMap contributors',
  },
  {
    name: 'PUBLIC_URL',
    description:
      'The public address of the site (e.g. `https://openccs.seoul.go.kr`): the one source of absolute links in feeds, OC4IDS packages and pages; request headers never are. Unset: `http://localhost:$PORT`, or `http://$HOST:$PORT` when `HOST` names one interface.',
  },
  {
    name: 'TRUST_PROXY',
    description:
      'Which reverse proxies may tell the client address in `X-Forwarded-For` (rate limits and sign-in lock-outs count real clients): `false` (none), a number of proxy hops, or a comma-separated list of addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`.',
    default: 'false',
  },
  {
    name: 'OPENCCS_DEMO_DATA',
    description: 'Create the demo organizations, users and project on an empty database (`true`/`false`).',
    default: 'true',
  },
  {
    name: 'LOG_LEVEL',
    description: '`fatal`, `error`, `warn`, `info`, `debug` or `trace`.',
    default: 'info',
  },
  {
    name: 'LOG_FORMAT',
    description:
      '`json` (one JSON object a line, for a log collector) or `pretty` (short coloured lines for a person at a terminal). Unset: `pretty` when `NODE_ENV=development`, else `json`.',
  },
  {
    name: 'WORKER_METRICS_PORT',
    description:
      'Port of the worker’s Prometheus endpoint (`GET /metrics`: the Temporal SDK’s metrics and the process’s), on the interface `HOST` names; `0` disables it.',
    default: '9464',
  },
  {
    name: 'METRICS_TOKEN',
    description:
      'When set (at least 16 characters), `GET /metrics` on the API and the worker answers only requests with `Authorization: Bearer <token>`. Unset: open to whoever reaches the port (docs/operations.md, "Metrics and tracing").',
    secret: true,
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    description:
      'Base URL of an OpenTelemetry collector’s OTLP/HTTP receiver (e.g. `http://otel-collector:4318`): the API and the worker then send traces of each request through Temporal to the workflow and its activities (to `/v1/traces`). Unset: no tracing, at no cost.',
  },
] as const satisfies readonly VariableSpec[];

export type VariableName = (typeof VARIABLES)[number]['name'];

export function variableSpec(name: VariableName): VariableSpec {
  const spec: VariableSpec | undefined = VARIABLES.find((v) => v.name === name);
  if (!spec) throw new Error(`unknown configuration variable ${name}`);
  return spec;
}
