/**
 * The report workflow over a long life: it continues as new when the server suggests it,
 * carrying its state and the request keys it applied; and recorded histories still replay
 * against today's code (set OPENCCS_RECORD_HISTORIES=1 to record new ones, beside the old).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { decideUpdate, reportStateQuery, reportWorkflowId } from '@openccs/contracts';
import type { ReportState } from '@openccs/domain';
import { scopedRequestKey } from '../../apps/api/src/common/idempotency';
import { workflowBundleOptions } from '../../apps/worker/src/workflow-source';
import { asAdmin } from '../support/factories';
import { http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';
import { testDataConverter } from '../support/temporal';

const HISTORIES = join(__dirname, '../fixtures/histories');

let cast: Cast;
let connection: Connection;
let client: Client;
beforeAll(async () => {
  cast = await castProject();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  client = new Client({ connection, dataConverter: testDataConverter() });
});
afterAll(() => connection.close());

const post = <T>(path: string, token: string, body: unknown = {}, key?: string) =>
  http<T>('POST', path, { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

describe('a report returned and resubmitted many times', () => {
  it('continues as new, keeping its state and the request keys it already applied', async () => {
    const report = await post<{ id: string }>(
      `/api/v1/projects/${cast.project.id}/reports`,
      cast.contractor.token,
      {
        kind: 'inspection_request',
        title: 'Waterproofing inspection',
      },
    );
    const id = report.body.id;
    const handle = client.workflow.getHandle(reportWorkflowId(id));
    const firstRunId = (await handle.describe()).runId;

    let lastKey = '';
    let cycles = 0;
    while ((await handle.describe()).runId === firstRunId && cycles < 30) {
      lastKey = `return-${cycles}`;
      const r = await post<{ status: string }>(
        `/api/v1/reports/${id}/decisions`,
        cast.supervisor.token,
        { action: 'return' },
        lastKey,
      );
      expect(r.body.status).toBe('returned');
      const s = await post<{ status: string }>(
        `/api/v1/reports/${id}/resubmit`,
        cast.contractor.token,
        {},
        `resubmit-${cycles}`,
      );
      expect(s.body.status).toBe('in_review');
      cycles++;
    }
    expect(cycles).toBeLessThan(30); // it did continue as new
    const state = await handle.query(reportStateQuery);
    expect(state).toMatchObject({ status: 'in_review', revision: cycles + 1 });
    expect(state.decisions).toHaveLength(cycles);

    // The same request key again, sent straight to the new run: nothing is applied twice.
    const again = await handle.executeUpdate(decideUpdate, {
      args: [
        {
          actorId: cast.supervisor.id,
          action: 'return',
          comment: null,
          // The key the API made of the supervisor's last request (common/idempotency.ts).
          requestKey: scopedRequestKey(
            cast.supervisor.id,
            'POST',
            `/api/v1/reports/${id}/decisions`,
            lastKey,
            createHash('sha256')
              .update(canonicalize({ action: 'return' }) ?? '')
              .digest('hex'),
          ),
          requestId: null,
        },
      ],
    });
    expect(again.version).toBe(state.version);
    expect(again.status).toBe('in_review');

    const approved = await post<{ status: string; revision: number }>(
      `/api/v1/reports/${id}/decisions`,
      cast.supervisor2.token,
      {
        action: 'approve',
      },
    );
    expect(approved.body).toMatchObject({ status: 'approved', revision: cycles + 1 });
  });
});

describe('recorded histories', () => {
  if (process.env.OPENCCS_RECORD_HISTORIES === '1') {
    it('records the design change scenario', async () => {
      const submit = await post<{ id: string }>(
        `/api/v1/projects/${cast.project.id}/reports`,
        cast.contractor.token,
        {
          kind: 'design_change',
          title: 'Recorded design change',
          amount: { value: -40_000_000, currency: 'KRW' },
        },
      );
      const id = submit.body.id;
      await post(`/api/v1/reports/${id}/decisions`, cast.supervisor.token, { action: 'approve' });
      await post(`/api/v1/reports/${id}/delegations`, cast.officer.token, { toUserId: cast.officer2.id });
      await post(`/api/v1/reports/${id}/decisions`, cast.officer.token, {
        action: 'return',
        comment: 'Quantities?',
      });
      await post(`/api/v1/reports/${id}/resubmit`, cast.contractor.token, {
        title: 'Recorded design change, rev. 2',
      });
      await post(`/api/v1/reports/${id}/decisions`, cast.supervisor2.token, { action: 'approve' });
      await post(`/api/v1/reports/${id}/decisions`, cast.officer2.token, { action: 'approve' });
      const done = await post<ReportState>(`/api/v1/reports/${id}/decisions`, cast.head.token, {
        action: 'approve',
      });
      expect(done.body.status).toBe('approved');
      await record('report-design-change', id);
    });

    it('records a step that opens with too few members for its quorum, decided on behalf', async () => {
      const admin = await asAdmin();
      await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/material_approval`, {
        token: admin,
        body: {
          steps: [
            {
              key: 'panel',
              name: 'Panel',
              assigneeRole: 'supervisor',
              mode: 'quorum',
              quorum: 5,
              sla: 'PT72H',
            },
          ],
        },
      });
      const submit = await post<{ id: string }>(
        `/api/v1/projects/${cast.project.id}/reports`,
        cast.contractor.token,
        { kind: 'material_approval', title: 'Recorded stranded step' },
      );
      const id = submit.body.id;
      const escalation = await until('the stranded step to escalate', async () => {
        const r = await http<{ steps: Array<{ escalations: Array<{ id: string }> }> }>(
          'GET',
          `/api/v1/reports/${id}`,
          { token: cast.head.token },
        );
        return r.body.steps[0]?.escalations[0];
      });
      const done = await post<{ report: ReportState }>(
        `/api/v1/escalations/${escalation.id}/resolve`,
        cast.head.token,
        {
          action: 'approve',
          justification: 'Two supervisors reviewed it; the panel of five was a typo',
        },
      );
      expect(done.body.report.status).toBe('approved');
      await record('report-stranded-step', id);
    });
  }

  /**
   * Writes the workflow's history as a fixture; earlier fixtures stay, each named by its date
   * (and a counter when the workflow changed twice in a day).
   */
  async function record(scenario: string, reportId: string): Promise<void> {
    const history = await client.workflow.getHandle(reportWorkflowId(reportId)).fetchHistory();
    const day = new Date().toISOString().slice(0, 10);
    let file = join(HISTORIES, `${scenario}.${day}.json`);
    for (let n = 2; existsSync(file); n++) file = join(HISTORIES, `${scenario}.${day}-${n}.json`);
    writeFileSync(file, historyToJSON(history));
  }

  it('replay against the current workflow code without nondeterminism', async () => {
    const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const { workflowsPath, webpackConfigHook } = workflowBundleOptions(
      join(__dirname, '../../workflows/src/index.ts'),
    );
    const histories = files.map((f) => ({
      workflowId: f,
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, f), 'utf8'))),
    }));
    // With the payload codec the worker runs with: histories recorded before encryption replay as they were.
    const results = Worker.runReplayHistories(
      { workflowsPath, bundlerOptions: { webpackConfigHook }, dataConverter: testDataConverter() },
      histories,
    );
    for await (const result of results) {
      expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({
        workflowId: result.workflowId,
        error: undefined,
      });
    }
  });
});
