/**
 * Webhooks against a local receiver: every delivery is signed (HMAC-SHA256 over timestamp and
 * body), retried with the same delivery id after a failure (so the receiver drops duplicates),
 * and an unreachable receiver never holds up the approval line.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { verifyWebhook } from '@openccs/activities';
import { freePort } from '../setup/test-stack';
import { asAdmin } from '../support/factories';
import { http } from '../support/http';
import { until } from '../support/until';
import { closeDb, db } from '../support/db';
import { castProject, type Cast } from '../support/scenario';

const SECRET = 'a-webhook-secret-of-at-least-32-chars!';

interface Received {
  deliveryId: string;
  body: string;
  headers: IncomingMessage['headers'];
}

/** A receiver that fails the first attempt of every delivery and keeps each delivery once. */
class Receiver {
  readonly requests: Received[] = [];
  readonly accepted = new Map<string, Record<string, unknown>>();
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const deliveryId = String(req.headers['x-openccs-delivery']);
        this.requests.push({ deliveryId, body, headers: req.headers });
        const signed = verifyWebhook(
          SECRET,
          {
            timestamp: req.headers['x-openccs-timestamp'] as string,
            signature: req.headers['x-openccs-signature'] as string,
          },
          body,
        );
        if (!signed) return void res.writeHead(401).end();
        if (this.requests.filter((r) => r.deliveryId === deliveryId).length === 1)
          return void res.writeHead(500).end();
        if (!this.accepted.has(deliveryId))
          this.accepted.set(deliveryId, JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    this.port = await freePort();
    await new Promise<void>((r) => this.server?.listen(this.port, '127.0.0.1', r));
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

let cast: Cast;
const receiver = new Receiver();
beforeAll(async () => {
  cast = await castProject();
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await closeDb();
});

it('registers a webhook (secret shown once), signs deliveries, retries with the same delivery id', async () => {
  const orgId = cast.supervisor.organizationId;
  const created = await http<{ id: string; secret: string }>(
    'POST',
    `/api/v1/organizations/${orgId}/webhooks`,
    {
      token: await asAdmin(),
      body: { url: `http://127.0.0.1:${receiver.port}/hook`, secret: SECRET },
    },
  );
  expect(created.status).toBe(201);
  expect(created.body.secret).toBe(SECRET);
  const listed = await http('GET', `/api/v1/organizations/${orgId}/webhooks`, { token: await asAdmin() });
  expect(listed.text).not.toContain(SECRET);
  expect(
    (
      await http('POST', `/api/v1/organizations/${orgId}/webhooks`, {
        token: cast.supervisor.token,
        body: { url: 'http://x.test/' },
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await http('POST', `/api/v1/organizations/${orgId}/webhooks`, {
        token: await asAdmin(),
        body: { url: 'ftp://x' },
      })
    ).status,
  ).toBe(400);

  const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'material_approval', title: 'Webhook-notified material' },
  });
  const delivered = await until('the assignment delivery', () =>
    [...receiver.accepted.values()].find((p) => p.reportId === report.body.id && p.event === 'assignment'),
  );
  expect(delivered).toMatchObject({
    event: 'assignment',
    projectId: cast.project.id,
    reportId: report.body.id,
    recipients: expect.arrayContaining([cast.supervisor.id, cast.supervisor2.id]),
  });
  const attempts = receiver.requests.filter((r) => r.deliveryId === delivered.deliveryId);
  expect(attempts).toHaveLength(2); // 500 first, then accepted: the same delivery id both times
  expect(attempts[0]?.body).toBe(attempts[1]?.body);
  const { rows } = await db().query(`SELECT status, attempts FROM webhook_deliveries WHERE id = $1`, [
    delivered.deliveryId,
  ]);
  expect(rows).toEqual([{ status: 'delivered', attempts: 2 }]);
  // A forged body fails the signature check a receiver makes.
  const headers = attempts[1]?.headers ?? {};
  expect(
    verifyWebhook(
      SECRET,
      {
        timestamp: headers['x-openccs-timestamp'] as string,
        signature: headers['x-openccs-signature'] as string,
      },
      `${attempts[1]?.body} `,
    ),
  ).toBe(false);
});

it('never lets an unreachable receiver hold up the approval line', async () => {
  const deadPort = await freePort();
  const hook = await http<{ id: string }>(
    'POST',
    `/api/v1/organizations/${cast.officer.organizationId}/webhooks`,
    {
      token: await asAdmin(),
      body: { url: `http://127.0.0.1:${deadPort}/gone` },
    },
  );
  const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'material_approval', title: 'Unreachable receiver' },
  });
  await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
    token: cast.supervisor.token,
    body: { action: 'approve' },
  });
  const done = await http<{ status: string }>('POST', `/api/v1/reports/${report.body.id}/decisions`, {
    token: cast.officer.token,
    body: { action: 'approve' },
  });
  expect(done.body.status).toBe('approved');
  const failing = await until('a failed attempt', async () => {
    const { rows } = await db().query(
      `SELECT status, attempts, last_error FROM webhook_deliveries WHERE webhook_id = $1 AND attempts > 0 LIMIT 1`,
      [hook.body.id],
    );
    return rows[0] as { status: string; attempts: number; last_error: string } | undefined;
  });
  expect(failing.status).toBe('pending');
  expect(failing.last_error).toMatch(/unreachable/);

  // Deactivated: the retries stop, and nothing new is queued for it.
  expect(
    (
      await http('DELETE', `/api/v1/organizations/${cast.officer.organizationId}/webhooks/${hook.body.id}`, {
        token: await asAdmin(),
      })
    ).status,
  ).toBe(204);
  await until('the pending deliveries to be given up', async () => {
    const { rows } = await db().query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'pending'`,
      [hook.body.id],
    );
    return (rows[0] as { n: number }).n === 0 ? true : undefined;
  });
});
