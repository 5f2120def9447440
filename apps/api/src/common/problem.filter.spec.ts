import type { Logger } from '@nestjs/common';
import { LogKeyUnavailableError } from '@openccs/disclosure';
import { problemBodyOf } from './problem.filter';
import { statusOf, type ProblemCode } from './problem';

describe('statusOf', () => {
  it.each<[ProblemCode, number]>([
    ['auth.invalid_credentials', 401],
    ['auth.unauthenticated', 401],
    ['access.forbidden', 403],
    ['project.not_found', 404],
    ['project.code_taken', 409],
    ['request.unknown_reference', 422],
    ['member.role_not_allowed', 422],
    ['validation_failed', 400],
    ['body_too_large', 413],
    ['rate_limited', 429],
    ['auth.locked_out', 429],
    ['workflow_engine_unavailable', 503],
    ['internal_error', 500],
  ])('maps %s to %d', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });
});

describe('problemBodyOf', () => {
  it('answers a publication this process cannot sign (a log key rotation) with a 503, not a 500', () => {
    const logger = { error: jest.fn() } as unknown as Logger;
    const body = problemBodyOf(new LogKeyUnavailableError('a'.repeat(64), ['b'.repeat(64)]), 'r1', logger);
    expect(body).toMatchObject({ status: 503, code: 'not_ready' });
    expect(body.detail).toContain(`now signed by key ${'a'.repeat(64)}`);
    expect(logger.error).not.toHaveBeenCalled();
  });
});
