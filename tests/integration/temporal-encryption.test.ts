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
import { http } from '../support/http';
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
