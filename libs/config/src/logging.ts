import pino, { type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from './config';

/** Structured JSON logs, one line per event; credentials never reach them. */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>, service: string): LoggerOptions {
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

export function createLogger(config: Pick<AppConfig, 'logLevel'>, service: string): Logger {
  return pino(loggerOptions(config, service));
}
