/**
 * The approval line as the fault suites drive it: batches of design changes submitted and decided
 * by patient clients, and the check that after a fault every accepted request took effect exactly
 * once — in the workflow, the read model, the audit log and the public log — and that the log
 * still verifies. `base` is where the clients go: one API, or a proxy in front of several.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { reportStateQuery, reportWorkflowId } from '@openccs/contracts';
import type { ReportState } from '@openccs/domain';
import { http } from '../support/http';
import { testDataConverter } from '../support/temporal';
import type { Cast } from '../support/scenario';
import { until } from '../support/until';
import type { ChaosSystem } from './system';

const ROOT = join(__dirname, '../..');
const run = promisify(execFile);
export const STEPS = ['supervisor', 'officer', 'head'] as const;
export type Step = (typeof STEPS)[number];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Line {
  /** Every report submitted so far. */
  readonly reports: string[] = [];
  /** What the clients were told was accepted, per report: one entry per decision. */
  readonly accepted = new Map<string, string[]>();
  /** Why clients had to try again: an HTTP status, or 'network' for a connection cut or refused. */
  readonly retriedOn: Record<string, number> = {};

  constructor(
    private readonly system: ChaosSystem,
    private readonly cast: Cast,
    private readonly base: () => string,
  ) {}

  async sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new PgClient({ connectionString: this.system.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /**
   * A client that does what the API tells it: retry a network error, a 5xx (a proxy's 502 when
   * the API it chose died mid-request) or a 409 "still running" with the same Idempotency-Key,
   * until the answer is final. Returns how many tries it took and the final body.
   */
  async patientPost<T = unknown>(
    path: string,
    token: string,
    body: unknown,
    key: string,
  ): Promise<{ tries: number; body: T }> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.base()}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
      if (res && res.status < 300) return { tries: attempt, body: (await res.json()) as T };
      const text = res ? await res.text() : 'no answer';
      if (res && res.status < 500 && res.status !== 409) throw new Error(`${path}: ${res.status} ${text}`);
      const why = res ? String(res.status) : 'network';
      this.retriedOn[why] = (this.retriedOn[why] ?? 0) + 1;
      if (attempt > 400) throw new Error(`${path}: still failing after ${attempt} tries: ${text}`);
      await sleep(250);
    }
  }

  /** `size` design changes by the contractor, each submitted once however many tries it takes. */
  async submitBatch(label: string, size: number): Promise<string[]> {
    const ids = await Promise.all(
      Array.from({ length: size }, async (_, i) => {
        const { body } = await this.patientPost<{ id: string }>(
          `/api/v1/projects/${this.cast.project.id}/reports`,
          this.cast.contractor.token,
          {
            kind: 'design_change',
            title: `${label} ${i + 1}: retaining wall drainage`,
            body: { changeType: 'drainage' },
            amount: { value: 1_000_000 * (i + 1), currency: 'KRW' },
          },
          `submit-${label.replace(/\W+/g, '-')}-${i}-${randomUUID()}`,
        );
        this.accepted.set(body.id, []);
        return body.id;
      }),
    );
    this.reports.push(...ids);
    return ids;
  }

  /** Every report of the batch decided at `step`, all at once, by patient clients. */
  decideAll(ids: readonly string[], step: Step): Promise<number[]> {
    return Promise.all(
      ids.map(async (id) => {
        const { tries } = await this.patientPost(
          `/api/v1/reports/${id}/decisions`,
          this.cast[step].token,
          { action: 'approve' },
          `${step}-${id}-${randomUUID()}`,
        );
        this.accepted.get(id)?.push(step);
        return tries;
      }),
    );
  }

  /** Resolves once more than `count` of the batch's decisions have reached the read model. */
  firstProjected(ids: readonly string[], count: number): Promise<true> {
    return until(
      'a first decision in the read model',
      async () => {
        const rows = await this.sql<{ n: string }>(
          'SELECT count(*) AS n FROM report_decisions WHERE report_id = ANY($1::uuid[])',
          [ids],
        ).catch(() => [{ n: '0' }]);
        return Number(rows[0]?.n) > count ? true : undefined;
      },
      60_000,
    );
  }

  async withTemporal<T>(use: (client: Client) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address: this.system.temporalAddress });
    try {
      return await use(
        new Client({ connection, dataConverter: testDataConverter(this.system.secrets.temporalPayloadKeys) }),
      );
    } finally {
      await connection.close();
    }
  }

  /**
   * Workflows caught mid-decision: their history holds an accepted decision not yet completed, or
   * their read model holds a decision whose update the history has not completed yet (the
   * decision's workflow task, with its local activities, was under way: its writes are in, its
   * markers were lost with the worker).
   */
  inFlight(ids: readonly string[]): Promise<number> {
    return this.withTemporal(async (client) => {
      let n = 0;
      for (const id of ids) {
        const history = await client.workflow.getHandle(reportWorkflowId(id)).fetchHistory();
        const events = history.events ?? [];
        const acceptedUpdates = events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
        const completedUpdates = events.filter(
          (e) => e.workflowExecutionUpdateCompletedEventAttributes,
        ).length;
        const [row] = await this.sql<{ n: string }>(
          'SELECT count(*) AS n FROM report_decisions WHERE report_id = $1',
          [id],
        );
        // The submission is an update too: completed decisions are one fewer.
        if (acceptedUpdates > completedUpdates || Number(row?.n) > completedUpdates - 1) n++;
      }
      return n;
    });
  }

  /**
   * For every report so far: each accepted decision applied exactly once (workflow state, read
   * model, audit log), the read model equal to the workflow's state, exactly one public record per
   * finished step; and the verifier accepts the whole log.
   */
  async expectConsistent(): Promise<void> {
    const states = await this.withTemporal(async (client) => {
      const out = new Map<string, ReportState>();
      for (const id of this.reports)
        out.set(id, await client.workflow.getHandle(reportWorkflowId(id)).query(reportStateQuery));
      return out;
    });
    const records = await this.publicRecords();
    for (const id of this.reports) {
      const state = states.get(id);
      if (!state) throw new Error(`no state for ${id}`);
      // Every accepted decision applied exactly once, and nothing else.
      expect([id, state.status, state.decisions.map((d) => d.stepKey)]).toEqual([
        id,
        'approved',
        ['supervisor_review', 'agency_officer_approval', 'agency_head_decision'],
      ]);
      expect(this.accepted.get(id)).toEqual([...STEPS]);
      // The read model is the workflow's state, with one decision row each.
      const [row] = await this.sql<{ state: ReportState; version: number }>(
        'SELECT state, version FROM reports WHERE id = $1',
        [id],
      );
      expect(row?.state).toEqual(state);
      const decisionRows = await this.sql<{ step_key: string }>(
        'SELECT step_key FROM report_decisions WHERE report_id = $1 ORDER BY seq',
        [id],
      );
      expect(decisionRows.map((r) => r.step_key)).toEqual(state.decisions.map((d) => d.stepKey));
      // One audit event per change: no version audited twice, decisions audited once each.
      const audit = await this.sql<{ action: string; version: string }>(
        `SELECT action, details->>'version' AS version FROM audit_events
          WHERE subject_type = 'report' AND subject_id = $1 ORDER BY id`,
        [id],
      );
      expect(new Set(audit.map((a) => a.version)).size).toBe(audit.length);
      expect(audit.filter((a) => a.action === 'report.decide')).toHaveLength(3);
      expect(audit.filter((a) => a.action === 'report.submit')).toHaveLength(1);
      // Exactly one public record per finished step.
      const mine = records
        .filter((r) => r.report?.id === id)
        .map((r) => `${r.report.revision}:${r.step.key}`);
      expect(mine).toEqual(['1:supervisor_review', '1:agency_officer_approval', '1:agency_head_decision']);
    }
    const { stdout } = await run(process.execPath, [
      join(ROOT, 'dist/apps/verifier/src/main.js'),
      '--url',
      this.base(),
    ]);
    expect(stdout).toMatch(/OK|verified/i);
  }

  async publicRecords() {
    type Rec = { report: { id: string; revision: number }; step: { key: string } };
    const all: Rec[] = [];
    for (let after = -1; ;) {
      const page = await http<{ items: Array<Rec & { seq: number }> }>(
        'GET',
        `/public/v1/records?limit=1000${after >= 0 ? `&after=${after}` : ''}`,
        { base: this.base() },
      );
      all.push(...page.body.items);
      if (page.body.items.length < 1000) return all;
      after = page.body.items[page.body.items.length - 1]?.seq ?? after;
    }
  }
}
