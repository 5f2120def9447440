import { cacheKey, PageCache } from './public-edge';

describe('cacheKey: one URL, one entry', () => {
  it('gives every spelling Express routes to the same page the same key', () => {
    const key = cacheKey('/public/v1/records?after=0&limit=100');
    expect(key).toBeDefined();
    for (const spelling of [
      '/PUBLIC/v1/records?after=0&limit=100',
      '/public/V1/Records/?after=0&limit=100',
      '/public/v1/records?after=00&limit=100',
      '/public/v1/records?limit=100&after=0',
      '/public/v1/records?after=0&limit=100&',
      '/public/v1/records?&after=0',
      '/public/v1/records?cursor=0',
    ])
      expect([spelling, cacheKey(spelling)]).toEqual([spelling, key]);
  });

  it('keeps project codes as they are, and apart', () => {
    expect(cacheKey('/public/v1/projects/ABC/records?after=1')).not.toBe(
      cacheKey('/public/v1/projects/abc/records?after=1'),
    );
    expect(cacheKey('/public/v1/projects/A%42C/records?after=1')).toBe(
      cacheKey('/public/v1/projects/ABC/records?after=1'),
    );
  });

  it('caches nothing the API would refuse or that is not a page of the log', () => {
    for (const url of [
      '/public/v1/records?after=1&foo=2',
      '/public/v1/records?after=1&after=2',
      '/public/v1/records?after=1&cursor=2',
      '/public/v1/records?after=x',
      '/public/v1/records?after=1e400',
      // Numbers are digits only, as the API reads them: these are refused there, not cached here.
      '/public/v1/records?after=0.0&limit=1e2',
      '/public/v1/records?after=',
      '/public/v1/records?after=0x10',
      '/public/v1/records?after=%201',
      '/public/v1/log',
      '/public/v1/projects',
      '/public/v1/projects/%E0%A4%A/records',
      '/public//v1/records',
    ])
      expect([url, cacheKey(url)]).toEqual([url, undefined]);
  });
});

describe('PageCache: bounded in bytes', () => {
  it('never holds more than its budget, however many distinct pages are sprayed at it', () => {
    const cache = new PageCache<{ bytes: number }>(100_000);
    for (let i = 0; i < 5_000; i++) {
      cache.set(`page-${i}`, { bytes: 1_000 + (i % 7) * 1_000 });
      expect(cache.bytes).toBeLessThanOrEqual(100_000);
    }
    expect(cache.size).toBeGreaterThan(10);
  });

  it('lets the least recently used page go first, and refuses a page over a quarter of the budget', () => {
    const cache = new PageCache<{ bytes: number }>(4_000);
    cache.set('a', { bytes: 1_000 });
    cache.set('b', { bytes: 1_000 });
    cache.set('c', { bytes: 1_000 });
    cache.get('a');
    cache.set('d', { bytes: 1_000 });
    cache.set('e', { bytes: 1_000 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    cache.set('huge', { bytes: 1_001 });
    expect(cache.get('huge')).toBeUndefined();
  });
});
