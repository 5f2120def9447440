import { scopedRequestKey } from './idempotency';

describe('scopedRequestKey: what a workflow deduplicates a command by', () => {
  const key = (user = 'u1', method = 'POST', path = '/api/v1/reports/r/decisions', k = 'k', body = 'h') =>
    scopedRequestKey(user, method, path, k, body);

  it('is the same for a retry of the same request', () => {
    expect(key()).toBe(key());
  });

  it('differs for another user, another operation, another key or another body', () => {
    const all = [
      key(),
      key('u2'),
      key('u1', 'POST', '/api/v1/reports/r/withdraw'),
      key('u1', 'POST', '/api/v1/reports/r2/decisions'),
      key('u1', 'POST', '/api/v1/reports/r/decisions', 'k2'),
      key('u1', 'POST', '/api/v1/reports/r/decisions', 'k', 'h2'),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('cannot be steered by separators inside the parts', () => {
    expect(key('u1', 'POST', '/p', 'a\nb', 'h')).not.toBe(key('u1', 'POST', '/p\na', 'b', 'h'));
  });

  it('is short and fixed in size, whatever the client sends', () => {
    expect(key('u1', 'POST', '/p', 'x'.repeat(200))).toMatch(/^k:[A-Za-z0-9_-]{43}$/);
  });
});
