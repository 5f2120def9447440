import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig, tilesOrigin } from './config';
import { newPayloadKeys } from './payload-keys';
import { VARIABLES } from './variables';

const runtime = {
  DATABASE_URL: 'postgres://u:p@db:5432/openccs',
  TEMPORAL_ADDRESS: 'temporal:7233',
  JWT_SECRET: 'x'.repeat(32),
  FEEDBACK_SECRET: 'f'.repeat(32),
  LOG_SIGNING_KEY: generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
  TEMPORAL_PAYLOAD_KEYS: newPayloadKeys('k1'),
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig('launcher', {});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      http: { port: 3000, host: '127.0.0.1' },
      databaseUrl: undefined,
      databaseAppRole: undefined,
      embeddedPgPort: 54329,
      temporal: {
        address: undefined,
        namespace: 'default',
        taskQueue: 'openccs',
        devPort: 7233,
        uiPort: 8233,
        maxCachedWorkflows: undefined,
      },
      dataDir: '.data',
      auth: { accessTokenTtlSeconds: 3600 },
      demoData: true,
      logLevel: 'info',
    });
  });

  it('bounds the worker’s workflow cache when told to, and refuses a bound below 1', () => {
    expect(
      loadConfig('worker', { ...runtime, WORKER_MAX_CACHED_WORKFLOWS: '500' }).temporal.maxCachedWorkflows,
    ).toBe(500);
    expect(() => loadConfig('worker', { ...runtime, WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(ConfigError);
  });

  it('logs pretty in development and JSON elsewhere unless told, and reads the observability settings', () => {
    expect(loadConfig('launcher', {}).logFormat).toBe('pretty');
    expect(loadConfig('worker', { ...runtime, NODE_ENV: 'production' }).logFormat).toBe('json');
    expect(loadConfig('api', { ...runtime, NODE_ENV: 'test', LOG_FORMAT: 'pretty' }).logFormat).toBe(
      'pretty',
    );
    expect(loadConfig('worker', runtime).observability).toEqual({
      workerMetricsPort: 9464,
      metricsToken: undefined,
      otlpEndpoint: undefined,
    });
    expect(
      loadConfig('worker', {
        ...runtime,
        WORKER_METRICS_PORT: '0',
        METRICS_TOKEN: 'm'.repeat(16),
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318/',
      }).observability,
    ).toEqual({
      workerMetricsPort: 0,
      metricsToken: 'm'.repeat(16),
      otlpEndpoint: 'http://otel-collector:4318',
    });
    const bad = () =>
      loadConfig('api', {
        ...runtime,
        LOG_FORMAT: 'xml',
        WORKER_METRICS_PORT: '70000',
        METRICS_TOKEN: 'short',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://otel:4317',
      });
    expect(bad).toThrow(/LOG_FORMAT must be one of json, pretty/);
    expect(bad).toThrow(/WORKER_METRICS_PORT must be a port number/);
    expect(bad).toThrow(/METRICS_TOKEN must be at least 16 characters long\n/);
    expect(bad).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
  });

  it('names every missing variable the process requires, at once', () => {
    expect(() => loadConfig('api', {})).toThrow(ConfigError);
    try {
      loadConfig('api', {});
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'DATABASE_URL is required by the api',
        'TEMPORAL_ADDRESS is required by the api',
        'TEMPORAL_PAYLOAD_KEYS is required by the api',
        'JWT_SECRET is required by the api',
        'LOG_SIGNING_KEY is required by the api',
        'FEEDBACK_SECRET is required by the api',
      ]);
    }
    expect(() =>
      loadConfig('worker', {
        DATABASE_URL: runtime.DATABASE_URL,
        TEMPORAL_ADDRESS: 'x:1',
        LOG_SIGNING_KEY: runtime.LOG_SIGNING_KEY,
        TEMPORAL_PAYLOAD_KEYS: runtime.TEMPORAL_PAYLOAD_KEYS,
      }),
    ).not.toThrow();
  });

  it('explains each bad value, and never echoes a secret', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig('api', {
        ...runtime,
        PORT: 'eighty',
        NODE_ENV: 'staging',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        JWT_SECRET: 'short-secret',
        ACCESS_TOKEN_TTL: 'P1M',
        OPENCCS_DEMO_DATA: 'maybe',
        TEMPORAL_ADDRESS: 'temporal',
      });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      "NODE_ENV must be one of development, production, test (got 'staging')",
      "PORT must be a port number between 0 and 65535 (got 'eighty')",
      'DATABASE_URL must start with postgres:// or postgresql://',
      "TEMPORAL_ADDRESS must be host:port (got 'temporal')",
      'JWT_SECRET must be at least 32 characters long',
      "ACCESS_TOKEN_TTL must be a positive ISO 8601 duration such as PT1H (got 'P1M')",
      "OPENCCS_DEMO_DATA must be true or false (got 'maybe')",
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('reads the Temporal payload keys in order, and refuses a malformed list without echoing a key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const keys = loadConfig('worker', { ...runtime, TEMPORAL_PAYLOAD_KEYS: `new:${key}, old-1:${key}` })
      .temporal.payloadKeys;
    expect(keys.map((k) => k.id)).toEqual(['new', 'old-1']);
    expect(keys[0]?.key.length).toBe(32);
    const problem = (raw: string) => {
      try {
        loadConfig('worker', { ...runtime, TEMPORAL_PAYLOAD_KEYS: raw });
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
      return 'accepted';
    };
    const short = Buffer.alloc(16, 1).toString('base64');
    expect(problem(key)).toMatch(/TEMPORAL_PAYLOAD_KEYS entry 1 must be id:base64-key/);
    expect(problem(`a:${short}`)).toMatch(/key id 'a'.*exactly 32 bytes/);
    expect(problem(`a:${key}!`)).toMatch(/exactly 32 bytes/);
    expect(problem(`a:${key},a:${key}`)).toMatch(/entry 2: the key id 'a' appears twice/);
    expect(problem(`bad id:${key}`)).toMatch(/key id must be 1 to 64 letters/);
    expect(problem(`a:${key},`)).toMatch(/entry 2 must be id:base64-key/);
    expect(problem(`a:${short}`)).not.toContain(short);
  });

  it('documents every variable', () => {
    for (const v of VARIABLES) expect(v.description.length).toBeGreaterThan(10);
  });
});

describe('map tiles', () => {
  it('allows the tiles’ origin in the CSP, a {s} subdomain as a wildcard', () => {
    expect(tilesOrigin('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe(
      'https://tile.openstreetmap.org',
    );
    expect(tilesOrigin('https://{s}.tiles.example.org/{z}/{x}/{y}.png')).toBe('https://*.tiles.example.org');
    expect(tilesOrigin('http://127.0.0.1:9/{z}/{x}/{y}.png')).toBe('http://127.0.0.1:9');
  });

  it('refuses a template without {z}, {x} and {y} or outside http(s)', () => {
    const runtime = { LOG_SIGNING_KEY: undefined } as Record<string, string | undefined>;
    for (const bad of ['https://tiles.example.org/map.png', 'ftp://tiles.example.org/{z}/{x}/{y}.png'])
      expect(() => loadConfig('api', { ...runtime, MAP_TILES_URL: bad } as Record<string, string>)).toThrow(
        /MAP_TILES_URL must/,
      );
  });
});
