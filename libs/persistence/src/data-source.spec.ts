import { QueryFailedError } from 'typeorm';
import { isDataRejection, isDatabaseUnavailable } from './data-source';

const failed = (code: string, message = 'failed') =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));

describe('what a database error means', () => {
  it.each([
    ['22021', 'a NUL in text'],
    ['22P05', 'a NUL escape in jsonb'],
    ['22008', 'a timestamp out of range'],
    ['23505', 'a unique violation'],
    ['54000', 'an index row too large'],
  ])('%s (%s) is refused data: retrying can never help', (code) => {
    expect(isDataRejection(failed(code))).toBe(true);
    expect(isDatabaseUnavailable(failed(code))).toBe(false);
  });

  it.each([
    ['08006', 'a broken connection'],
    ['57P01', 'an administrator shutdown'],
    ['ECONNREFUSED', 'nothing listening'],
  ])('%s (%s) is an outage: worth a retry, answered 503', (code) => {
    expect(isDataRejection(failed(code))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
  });

  it('treats serialization failures and deadlocks as neither: they are retried quietly', () => {
    for (const code of ['40001', '40P01']) {
      expect(isDataRejection(failed(code))).toBe(false);
      expect(isDatabaseUnavailable(failed(code))).toBe(false);
    }
  });

  it('recognizes a pool that cannot connect by its message', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
  });
});
