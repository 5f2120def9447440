/** What every route shares: problem details, request ids, security headers, OpenAPI, health. */
import { asAdmin } from '../support/factories';
import { http } from '../support/http';

describe('API basics', () => {
  it('echoes a caller-supplied x-request-id and makes one otherwise', async () => {
    const given = await http('GET', '/health/live', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const made = await http('GET', '/health/live', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers (helmet) and hides the framework', async () => {
    const res = await http('GET', '/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await http('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
  });

  it('answers a method a documented path does not have with 405 and Allow', async () => {
    const res = await http('DELETE', '/health/live');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });

  it('answers a cursor it did not issue with a 400 naming the cursor, never a failed query', async () => {
    const token = await asAdmin();
    for (const path of [
      '/api/v1/escalations',
      '/api/v1/inbox',
      '/api/v1/notifications',
      '/api/v1/projects',
    ]) {
      for (const cursor of ['G', 'AAAA', Buffer.from('2026-13-45T00:00:00.000Z|x').toString('base64url')]) {
        const res = await http('GET', `${path}?cursor=${cursor}`, { token });
        expect([path, res.status, res.body.errors]).toEqual([
          path,
          400,
          [{ field: 'cursor', message: 'cursor is not one this API issued' }],
        ]);
      }
    }
    expect(
      (await http('GET', `/public/v1/projects?cursor=${Buffer.from('\u0000').toString('base64url')}`)).status,
    ).toBe(400);
  });

  it('answers a body that is not JSON with a 400 problem carrying the request id', async () => {
    const res = await http('POST', '/api/v1/organizations', { token: await asAdmin(), rawBody: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'malformed_body' });
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('serves the OpenAPI document and the browsable docs', async () => {
    const doc = await http<{ openapi: string; paths: Record<string, unknown> }>('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/token',
        '/api/v1/organizations',
        '/api/v1/users',
        '/api/v1/projects',
        '/api/v1/projects/{projectId}',
        '/api/v1/projects/{projectId}/members/{userId}',
      ]),
    );
    const page = await http('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
  });

  it('is live and ready with PostgreSQL and Temporal up, a worker polling and no report stuck', async () => {
    expect((await http('GET', '/health/live')).status).toBe(200);
    const ready = await http('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { database: 'up', temporal: 'up', worker: 'up', workflows: 'up' },
    });
  });
});
