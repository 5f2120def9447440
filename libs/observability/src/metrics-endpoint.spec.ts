import { startMetricsServer, type MetricsServer } from './metrics-endpoint';

describe('the /metrics endpoint', () => {
  let open: MetricsServer;
  let guarded: MetricsServer;
  const options = { gather: async () => 'openccs_example 1\n', contentType: 'text/plain; version=0.0.4' };
  beforeAll(async () => {
    open = await startMetricsServer('127.0.0.1', 0, { ...options, token: undefined });
    guarded = await startMetricsServer('127.0.0.1', 0, { ...options, token: 'a-metrics-token-for-tests' });
  });
  afterAll(() => Promise.all([open.close(), guarded.close()]));

  const get = (
    server: MetricsServer,
    path = '/metrics',
    headers: Record<string, string> = {},
    method = 'GET',
  ) => fetch(`http://127.0.0.1:${server.port}${path}`, { method, headers });

  it('serves the exposition, never cached', async () => {
    const res = await get(open);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('openccs_example 1\n');
    expect((await get(open, '/metrics?name[]=x')).status).toBe(200);
  });

  it('asks for the bearer token when one is set', async () => {
    expect((await get(guarded)).status).toBe(401);
    expect((await get(guarded, '/metrics', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(
      (await get(guarded, '/metrics', { authorization: 'Basic a-metrics-token-for-tests' })).status,
    ).toBe(401);
    expect(
      (await get(guarded, '/metrics', { authorization: 'Bearer a-metrics-token-for-tests' })).status,
    ).toBe(200);
  });

  it('answers nothing else', async () => {
    expect((await get(open, '/metricsx')).status).toBe(404);
    expect((await get(open, '/')).status).toBe(404);
    expect((await get(open, '/metrics', {}, 'POST')).status).toBe(405);
  });
});
