/**
 * Changes an operator makes from the command line (`npm run admin`), not a signed-in user: the
 * audit log records them with no actor user and the operator (`cli:<os user>@<host>`) in the
 * details, as system actions are recorded. The scope is asynchronous-context local, so the API's
 * own services can be called unchanged and still audit honestly.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

export function asOperator<T>(operator: string, work: () => Promise<T>): Promise<T> {
  return scope.run(operator, work);
}

/** The operator whose command is running, if any. */
export function currentOperator(): string | undefined {
  return scope.getStore();
}
