import { ConfigError } from './config';

/**
 * The end of every entry point's `main().catch(...)`: one clear message (no stack for a
 * configuration problem, which is the operator's to fix) and exit code 1.
 */
export function exitOnFatal(service: string): (err: unknown) => never {
  return (err) => {
    // A configuration or profile problem (it lists `problems`) is the operator's to fix: no stack.
    const operators =
      err instanceof ConfigError ||
      (err instanceof Error && Array.isArray((err as { problems?: unknown }).problems));
    const text = operators
      ? (err as Error).message
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
    process.stderr.write(`${service}: ${text}\n`);
    process.exit(1);
  };
}
