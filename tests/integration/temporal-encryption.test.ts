/**
 * What Temporal stores of a report is ciphertext: its history, read by a client without the
 * payload keys (as Temporal's database and UI hold it), has none of the body, title or comments,
 * while the API shows them. A workflow started before the keys existed (clear payloads in its
 * history) carries on once they are in place.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import {
  REPORT_WORKFLOW,
  reportStateQuery,
  reportWorkflowId,
  SEARCH_ATTRIBUTES,
  type ReportWorkflowInput,
} from '@openccs/contracts';
import type { ReportState } from '@openccs/domain';
import { closeDb, db } from '../support/db';
import { asAdmin } from '../support/factories';
import { apiUrl, http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';
import { testDataConverter } from '../support/temporal';
import { until } from '../support/until';

let cast: Cast;
let connection: Connection;
/** Sees what Temporal stores, as its UI would without our codec. */
let raw: Client;
/** Holds the keys, like the API and the worker. */
let keyed: Client;

beforeAll(async () => {
  cast = await castProject();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  raw = new Client({ connection });
  keyed = new Client({ connection, dataConverter: testDataConverter() });
});
afterAll(async () => {
  await connection.close();
  await closeDb();
});

const post = <T>(path: string, token: string, body: unknown = {}) => http<T>('POST', path, { token, body });
const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;

/** The workflow's history as Temporal holds it: binary (payload bytes as stored) and as JSON. */
async function storedHistory(reportId: string): Promise<string> {
  const history = await raw.workflow.getHandle(reportWorkflowId(reportId)).fetchHistory();
  const binary = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
  return `${binary}\n${historyToJSON(history)}`;
}

async function historyJson(reportId: string): Promise<unknown> {
  return JSON.parse(historyToJSON(await raw.workflow.getHandle(reportWorkflowId(reportId)).fetchHistory()));
}

/** The paths of payloads not encrypted by our codec, except search attributes and patch markers. */
function clearPayloads(node: unknown, path = ''): string[] {
  if (typeof node !== 'object' || node === null) return [];
  if (/searchAttributes$|markerRecordedEventAttributes$/.test(path)) return [];
  const encoding = (node as { metadata?: { encoding?: string } }).metadata?.encoding;
  if (typeof encoding === 'string')
    return Buffer.from(encoding, 'base64').toString() === 'binary/encrypted' ? [] : [path];
  return Object.entries(node).flatMap(([k, v]) => clearPayloads(v, `${path}.${k}`));
}

describe('Temporal payload encryption', () => {
  it('stores no clear text of a report in Temporal, while the API shows it', async () => {
    const title = marker('TITLE');
    const reason = marker('BODYREASON');
    const comment = marker('COMMENT');
    const created = await post<{ id: string }>(
      `/api/v1/projects/${cast.project.id}/reports`,
      cast.contractor.token,
      {
        kind: 'design_change',
        title,
        body: { reason, drawings: ['A2-101 rev C'] },
        amount: { value: 125_000_000, currency: 'KRW' },
      },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    const returned = await post<{ status: string }>(
      `/api/v1/reports/${id}/decisions`,
      cast.supervisor.token,
      {
        action: 'return',
        comment,
      },
    );
    expect(returned.body.status).toBe('returned');

    const stored = await storedHistory(id);
    expect(stored).toContain('binary/encrypted');
    for (const secret of [title, reason, comment]) expect(stored).not.toContain(secret);
    // Nothing in clear JSON at all: every payload of the history is ours, encrypted.
    // Every payload is ours, encrypted, but the search attributes (ids and codes, never text:
    // libs/contracts SEARCH_ATTRIBUTES) and the SDK's patch markers (patch ids), never encoded.
    expect(clearPayloads(await historyJson(id))).toEqual([]);

    const shown = await http<unknown>('GET', `/api/v1/reports/${id}`, { token: cast.contractor.token });
    for (const secret of [title, reason, comment]) expect(JSON.stringify(shown.body)).toContain(secret);
    const state = await keyed.workflow.getHandle(reportWorkflowId(id)).query(reportStateQuery);
    expect(JSON.stringify(state)).toContain(comment);
    // A client without the keys cannot read the workflow's answers.
    await expect(raw.workflow.getHandle(reportWorkflowId(id)).query(reportStateQuery)).rejects.toThrow();
  });

  it('carries on a workflow started before the keys existed, its old payloads still in clear', async () => {
    const reason = marker('OLDREASON');
    const comment = marker('NEWCOMMENT');
    const created = await post<{ id: string }>(
      `/api/v1/projects/${cast.project.id}/reports`,
      cast.contractor.token,
      {
        kind: 'design_change',
        title: 'Started before encryption',
        body: { reason, drawings: [] },
        amount: { value: 1_000_000, currency: 'KRW' },
      },
    );
    const id = created.body.id;
    const workflowId = reportWorkflowId(id);
    // Replace its run with one a release without encryption would have started: the same input
    // (the report's stored state, as the repair does) sent in clear.
    const { rows } = await db().query<{ state: ReportState }>('SELECT state FROM reports WHERE id = $1', [
      id,
    ]);
    const state = rows[0]!.state;
    await raw.workflow.getHandle(workflowId).terminate('test: as before payload encryption');
    await raw.workflow.start(REPORT_WORKFLOW, {
      workflowId,
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? '',
      args: [{ submission: state, requestId: null, carried: { state, processedKeys: [] } }],
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.projectId, value: state.projectId },
        { key: SEARCH_ATTRIBUTES.reportKind, value: state.kind },
      ],
    });
    expect(await storedHistory(id)).toContain(reason);
    expect(clearPayloads(await historyJson(id))).not.toEqual([]);

    const returned = await post<{ status: string }>(
      `/api/v1/reports/${id}/decisions`,
      cast.supervisor.token,
      {
        action: 'return',
        comment,
      },
    );
    expect(returned.status).toBe(200);
    expect(returned.body.status).toBe('returned');
    const resubmitted = await post<{ status: string }>(
      `/api/v1/reports/${id}/resubmit`,
      cast.contractor.token,
    );
    expect(resubmitted.body.status).toBe('in_review');
    const stored = await storedHistory(id);
    expect(stored).toContain('binary/encrypted');
    expect(stored).not.toContain(comment);
    const shown = await http<unknown>('GET', `/api/v1/reports/${id}`, { token: cast.contractor.token });
    expect(JSON.stringify(shown.body)).toContain(comment);
  });

  it('stores a failure’s message and stack trace encrypted too', async () => {
    const reportId = randomUUID();
    const workflowId = reportWorkflowId(reportId);
    // Input no release would send: the workflow's first task throws (and is retried).
    await keyed.workflow.start(REPORT_WORKFLOW, {
      workflowId,
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? '',
      args: [{} as ReportWorkflowInput],
    });
    try {
      const failed = await until('the workflow task to fail', async () => {
        const history = await raw.workflow.getHandle(workflowId).fetchHistory();
        return (
          history.events?.find((e) => e.workflowTaskFailedEventAttributes)
            ?.workflowTaskFailedEventAttributes ?? undefined
        );
      });
      expect(failed.failure?.message).toBe('Encoded failure');
      expect(failed.failure?.stackTrace ?? '').toBe('');
      const encoded = failed.failure?.encodedAttributes;
      expect(Buffer.from(encoded?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    } finally {
      // A workflow left failing would make readiness degraded for the files after this one.
      await raw.workflow.getHandle(workflowId).terminate('test done');
    }
  });
});

describe('the codec endpoint for the Temporal UI and CLI', () => {
  const UI = 'http://temporal-ui.test:8233';
  const DECODE = '/api/v1/temporal/codec/decode';

  /** The first update's result in a report's history, as the UI would send it to be decoded. */
  async function storedResult(reportId: string) {
    const history = (await historyJson(reportId)) as {
      events: Array<{ workflowExecutionUpdateCompletedEventAttributes?: { outcome: { success: unknown } } }>;
    };
    const done = history.events.find((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    return done?.workflowExecutionUpdateCompletedEventAttributes?.outcome.success as {
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    };
  }

  async function consoleSession(password: string): Promise<string> {
    const csrf = randomBytes(16).toString('hex');
    const res = await fetch(`${apiUrl()}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `openccs_login=${csrf}` },
      body: new URLSearchParams({ _csrf: csrf, username: 'admin', password, next: '/console' }).toString(),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith('openccs_session='));
    if (!session) throw new Error(`console sign-in failed: ${res.status}`);
    return session.split(';')[0]!;
  }

  it('decodes a stored report for an administrator, and audits it', async () => {
    const reason = marker('DECODEME');
    const created = await post<{ id: string }>(
      `/api/v1/projects/${cast.project.id}/reports`,
      cast.contractor.token,
      {
        kind: 'design_change',
        title: 'Decoded by the codec endpoint',
        body: { reason, drawings: [] },
        amount: { value: 1_000_000, currency: 'KRW' },
      },
    );
    const stored = await storedResult(created.body.id);
    expect(JSON.stringify(stored)).not.toContain(reason);

    const admin = await asAdmin();
    const decoded = await http<{ payloads: Array<{ metadata: Record<string, string>; data: string }> }>(
      'POST',
      DECODE,
      { token: admin, body: stored, headers: { 'x-namespace': 'default' } },
    );
    expect(decoded.status).toBe(200);
    const [payload] = decoded.body.payloads;
    expect(Buffer.from(payload!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(payload!.data, 'base64').toString()).toContain(reason);
    const { rows } = await db().query<{ details: { payloads: number; encrypted: number } }>(
      `SELECT details FROM audit_events WHERE action = 'temporal.codec.decode' ORDER BY occurred_at DESC LIMIT 1`,
    );
    expect(rows[0]?.details).toEqual({ payloads: 1, encrypted: 1 });

    // And back: what it encodes, it decodes; what it did not encrypt passes through.
    const encoded = await http<{ payloads: unknown[] }>('POST', '/api/v1/temporal/codec/encode', {
      token: admin,
      body: decoded.body,
    });
    expect(encoded.status).toBe(200);
    expect(JSON.stringify(encoded.body)).not.toContain(payload!.data);
    const again = await http<{ payloads: Array<{ data: string }> }>('POST', DECODE, {
      token: admin,
      body: encoded.body,
    });
    expect(again.body.payloads[0]?.data).toBe(payload!.data);
    const clear = await http<{ payloads: unknown[] }>('POST', DECODE, { token: admin, body: decoded.body });
    expect(clear.body).toEqual(decoded.body);

    // Only administrators; refused without a trace of the contents.
    for (const token of [cast.contractor.token, cast.head.token]) {
      const refused = await http('POST', DECODE, { token, body: stored });
      expect(refused.status).toBe(403);
      expect(refused.text).not.toContain(reason);
    }
    expect((await http('POST', DECODE, { body: stored })).status).toBe(401);
  });

  it('refuses what is not a list of payloads, another namespace, and a payload it cannot open', async () => {
    const admin = await asAdmin();
    const bad = await http<{ code: string; errors: Array<{ field: string; message: string }> }>(
      'POST',
      DECODE,
      {
        token: admin,
        body: { payloads: [{ data: 'not base64!' }] },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.message).toMatch(/payloads\[0\]\.data must be a base64 string/);
    const other = await http('POST', DECODE, {
      token: admin,
      body: { payloads: [] },
      headers: { 'x-namespace': 'someone-else' },
    });
    expect(other.status).toBe(400);
    const forged = await http<{ errors: Array<{ message: string }> }>('POST', DECODE, {
      token: admin,
      body: {
        payloads: [
          {
            metadata: {
              encoding: Buffer.from('binary/encrypted').toString('base64'),
              'encryption-key-id': Buffer.from('gone').toString('base64'),
            },
            data: randomBytes(40).toString('base64'),
          },
        ],
      },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0]?.message).toMatch(/key id 'gone'/);
  });

  it('answers the Temporal UI’s preflight, and only for its origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${apiUrl()}${DECODE}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('takes an administrator’s console session from the Temporal UI’s origin, and from no other', async () => {
    const cookie = await consoleSession(process.env.OPENCCS_TEST_ADMIN_PASSWORD ?? '');
    const call = (origin: string) =>
      http<{ payloads: unknown[] }>('POST', DECODE, {
        body: { payloads: [] },
        headers: { cookie, origin, 'x-namespace': 'default' },
      });
    const ok = await call(UI);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    const evil = await call('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
