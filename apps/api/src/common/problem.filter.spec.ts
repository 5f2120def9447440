import type { DomainErrorCode } from '@openccs/domain';
import { statusOf } from './problem.filter';

describe('statusOf', () => {
  it.each<[DomainErrorCode, number]>([
    ['auth.invalid_credentials', 401],
    ['auth.unauthenticated', 401],
    ['access.forbidden', 403],
    ['project.not_found', 404],
    ['project.code_taken', 409],
    ['request.unknown_reference', 422],
    ['member.role_not_allowed', 422],
  ])('maps %s to %d', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });
});
