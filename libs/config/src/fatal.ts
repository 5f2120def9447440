import { ConfigError } from './config';

/**
 * The end of every entry point's `main().catch(...)`: one clear message (no stack for a
 * configuration problem, which is the operator's to fix) and exit code 1.
 */
export function exitOnFatal(service: string): (err: unknown) => never {
  return (err) => {
    const text =
      err instanceof ConfigError
        ? err.message
        : err instanceof Error
          ? (err.stack ?? err.message)
          : String(err);
    process.stderr.write(`${service}: ${text}\n`);
    process.exit(1);
  };
}
