/**
 * Sending a Workflow Update and reading its answer, for every workflow the API commands (reports,
 * feedback): a refusal comes back as the domain's own code (so the API answers with the reason
 * the rules gave), a workflow that is not running as WorkflowNotFoundError (the caller knows what
 * that means for it), anything else — no answer in time — as a 503 to retry.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { DomainError, type DomainErrorCode } from '@openccs/domain';
import { ProblemException } from '../common/problem';

/** How long a staff request waits for the workflow to answer before it is told to retry. */
const COMMAND_DEADLINE_MS = 15_000;

export async function runUpdate<T>(
  client: Client,
  refusals: ReadonlySet<string>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + COMMAND_DEADLINE_MS, run);
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type && refusals.has(cause.type))
      throw new DomainError(cause.type as DomainErrorCode, cause.message);
    if (err instanceof WorkflowNotFoundError) throw err;
    throw new ProblemException(
      'workflow_engine_unavailable',
      'The workflow engine did not answer in time; retry with the same Idempotency-Key.',
    );
  }
}
