/**
 * The API's edge validation and its refusals, for the command line: the same class-validator
 * rules (the API's validation pipe) and the same domain errors, as one line an operator reads.
 */
import type { Type } from '@nestjs/common';
import type { Profile } from '@openccs/profile';
import { DomainError } from '@openccs/domain';
import { ProblemException } from '../../api/src/common/problem';
import { createValidationPipe } from '../../api/src/common/validation.pipe';

/** `plain` checked and transformed as the API's validation pipe does with a request body. */
export async function validated<T extends object>(
  type: Type<T>,
  plain: object,
  profile: Profile,
): Promise<T> {
  return (await createValidationPipe(profile).transform(plain, { type: 'body', metatype: type })) as T;
}

/** A refusal in words, or undefined when `err` is not a refusal (a fault, reported as such). */
export function refusalOf(err: unknown): string | undefined {
  if (err instanceof DomainError) return `${err.code}: ${err.message}`;
  if (err instanceof ProblemException) {
    const fields = (err.problem.errors ?? []).map((e) => e.message);
    return `${err.problem.code}: ${fields.length > 0 ? fields.join('; ') : err.problem.detail}`;
  }
  return undefined;
}
