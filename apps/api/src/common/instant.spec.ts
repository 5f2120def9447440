import { isInstant } from './validation.pipe';

describe('an instant in a query', () => {
  it('is a real day or an instant on one, with its offset, in years people mean', () => {
    for (const ok of ['2026-11-30', '2024-02-29', '2026-11-30T09:00Z', '2026-11-30T09:00:00.123456+14:00'])
      expect([ok, isInstant(ok)]).toEqual([ok, true]);
    // Date.parse would roll 30 February over to 2 March, and PostgreSQL would refuse it.
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-11-30T24:00Z',
      '2026-11-30T09:00',
      '0001-01-01',
      '2026-11-30T09:00+15:00',
      1,
    ])
      expect([bad, isInstant(bad)]).toEqual([bad, false]);
  });
});
