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
