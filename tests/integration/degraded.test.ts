/**
 * The API on its worst day: PostgreSQL or Temporal unreachable. Readiness says which one is down
 * (503), and a change that needs Temporal is refused whole: nothing is written.
 */
import { freePort } from '../setup/test-stack';
import { startApi, type ExtraApi } from '../support/api';
import { asAdmin, createOrganization, unique } from '../support/factories';
import { http } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { closeDb, count } from '../support/db';

afterAll(closeDb);

describe('with Temporal unreachable', () => {
  let api: ExtraApi;
  beforeAll(async () => {
    api = await startApi({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, LOG_LEVEL: 'fatal' });
  });
  afterAll(() => api.app.close());

  it('is live but not ready, and says Temporal is the reason', async () => {
    expect((await http('GET', '/health/live', { base: api.base })).status).toBe(200);
    const ready = await http('GET', '/health/ready', { base: api.base });
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain('application/problem+json');
    expect(ready.body).toMatchObject({ code: 'not_ready', detail: 'Not ready: Temporal did not answer.' });
  });

  it('refuses to create a project (503) and writes neither the project nor its audit event', async () => {
    const agency = await createOrganization('agency');
    const code = unique('NO-TEMPORAL');
    const auditBefore = await count('SELECT 1 FROM audit_events');
    const res = await http('POST', '/api/v1/projects', {
      base: api.base,
      token: await asAdmin(),
      body: { code, title: 'Never created', agencyOrganizationId: agency.id },
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'workflow_engine_unavailable' });
    expect(await count('SELECT 1 FROM projects WHERE code = $1', [code])).toBe(0);
    expect(await count('SELECT 1 FROM audit_events')).toBe(auditBefore);
  });
});

describe('with PostgreSQL cut off and restored', () => {
  it('turns not ready naming PostgreSQL, then ready again', async () => {
    const db = new URL(process.env.DATABASE_URL ?? '');
    const proxy = new TcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(db);
    viaProxy.port = String(proxy.port);
    const api = await startApi({ DATABASE_URL: viaProxy.toString(), LOG_LEVEL: 'fatal' });
    try {
      expect((await http('GET', '/health/ready', { base: api.base })).status).toBe(200);
      await proxy.cut();
      const down = await http('GET', '/health/ready', { base: api.base });
      expect(down.status).toBe(503);
      expect(down.body.detail).toBe('Not ready: PostgreSQL did not answer.');
      await proxy.open();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await http('GET', '/health/ready', { base: api.base })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
    } finally {
      await api.app.close();
      await proxy.cut();
    }
  });
});

describe('the public API under a flood from one client', () => {
  it('answers 429 problems past PUBLIC_RATE_LIMIT requests a minute, and only for that client’s excess', async () => {
    const api = await startApi({ PUBLIC_RATE_LIMIT: '3', LOG_LEVEL: 'fatal' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await http('GET', '/public/v1/log', { base: api.base })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await http('GET', '/public/v1/log', { base: api.base });
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      expect(limited.body).toMatchObject({ status: 429 });
      // The staff API is not behind the public limit.
      expect((await http('GET', '/health/live', { base: api.base })).status).toBe(200);
    } finally {
      await api.app.close();
    }
  });
});
