import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type * as PinoPretty from 'pino-pretty';
import type { AppConfig } from './config';

type LogConfig = Pick<AppConfig, 'logLevel'> & Partial<Pick<AppConfig, 'logFormat'>>;

/** Structured JSON logs, one line per event; credentials never reach them. */
export function loggerOptions(config: LogConfig, service: string): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.body.password',
        'password',
        'passwordHash',
        'accessToken',
      ],
      censor: '[redacted]',
    },
  };
}

interface PrettyRecord {
  service?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  [key: string]: unknown;
}

/**
 * Where logs go: stdout as JSON (`undefined`: pino's own), or, with LOG_FORMAT=pretty, short
 * lines a person reads at a terminal: time, level, `[service]`, the message (a request as
 * `GET /path → 200 (12 ms)`), and the event's other fields on the same line. The records are the
 * same; only their rendering differs, so nothing is hidden in development.
 */
export function logDestination(config: LogConfig): DestinationStream | undefined {
  if (config.logFormat !== 'pretty') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for pretty logs
  const pretty = require('pino-pretty') as typeof PinoPretty;
  return pretty.build({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,req,res,responseTime',
    singleLine: true,
    // Synchronous, as pino's own stdout is: the last lines before a crash are not lost.
    sync: true,
    messageFormat: (record, messageKey) => {
      const log = record as PrettyRecord;
      const service = log.service ? `[${log.service}] ` : '';
      if (log.req && log.res)
        return `${service}${log.req.method} ${log.req.url} → ${log.res.statusCode} (${log.responseTime} ms)`;
      return `${service}${String(log[messageKey] ?? '')}`;
    },
  });
}

export function createLogger(config: LogConfig, service: string): Logger {
  const destination = logDestination(config);
  return destination
    ? pino(loggerOptions(config, service), destination)
    : pino(loggerOptions(config, service));
}
