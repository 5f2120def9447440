/**
 * What the API exports at `GET /metrics` (docs/operations.md, "Metrics and tracing"): the
 * duration of every HTTP request by route template, the process's own metrics, and the gauges an
 * operator watches. The gauges are read at scrape time, from PostgreSQL and Temporal, through a
 * short cache: several API processes (or several Prometheus servers) scraping often cost one
 * read per cache period each, and every API process reports the same values. No request pays
 * for any of it but the scrape.
 */
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { OperationsRepository, type OperationsSnapshot } from '@openccs/persistence';
import { WorkflowHealth, type StuckReport } from '../admin/workflow-health';

/** Scrapes within this long of the last read reuse it. */
export const GAUGE_CACHE_MS = 10_000;

/** Every metric name the API registers besides prom-client's defaults; the deploy/ files are checked against it. */
export const API_METRIC_NAMES = [
  'openccs_http_request_duration_seconds',
  'openccs_reports_open',
  'openccs_steps_overdue',
  'openccs_escalations_open',
  'openccs_webhook_deliveries_failing',
  'openccs_log_records',
  'openccs_log_last_append_timestamp_seconds',
  'openccs_reports_stuck',
  'openccs_metrics_source_up',
] as const;

class Cached<T> {
  private last: { at: number; value: Promise<T> } | undefined;
  constructor(private readonly read: () => Promise<T>) {}

  /** The last read's value while fresh, else a new read; a failed read is not kept. */
  get(): Promise<T> {
    const now = Date.now();
    if (!this.last || now - this.last.at > GAUGE_CACHE_MS) {
      const value = this.read();
      this.last = { at: now, value };
      value.catch(() => (this.last = undefined));
    }
    return this.last.value;
  }
}

@Injectable()
export class ApiMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly operations: Cached<OperationsSnapshot>;
  private readonly stuck: Cached<StuckReport[]>;

  constructor(operations: OperationsRepository, health: WorkflowHealth) {
    this.operations = new Cached(() => operations.snapshot());
    // The stuck list as readiness and GET /api/v1/admin/stuck see it: the rule lives there.
    this.stuck = new Cached(() => health.stuck());
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'openccs_http_request_duration_seconds',
      help: 'Time from a request’s arrival to the end of its response, by route template (`unmatched`: no route, or refused before routing) and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    // prom-client calls collect() with the metric as `this`; the cached reads are this object's.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const fromDatabase = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      fill: (gauge: Gauge<L>, s: OperationsSnapshot) => void,
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          const snapshot = await self.read(self.operations);
          this.reset();
          if (snapshot) fill(this, snapshot);
        },
      });
    fromDatabase(
      'openccs_reports_open',
      'Reports in review or returned to their submitter, by kind, status and current step.',
      ['kind', 'status', 'step'],
      (g, s) =>
        s.openReports.forEach((r) => g.set({ kind: r.kind, status: r.status, step: r.step }, r.count)),
    );
    fromDatabase(
      'openccs_steps_overdue',
      'Open steps past their deadline, by report kind.',
      ['kind'],
      (g, s) => s.overdueSteps.forEach((r) => g.set({ kind: r.kind }, r.count)),
    );
    fromDatabase(
      'openccs_escalations_open',
      'Open escalations, by reason (`overdue` or `unassigned`).',
      ['reason'],
      (g, s) => s.openEscalations.forEach((r) => g.set({ reason: r.reason }, r.count)),
    );
    fromDatabase(
      'openccs_webhook_deliveries_failing',
      'Webhook deliveries that failed: `retrying` (pending after a failed attempt) or `failed` (given up on).',
      ['status'],
      (g, s) => {
        g.set({ status: 'retrying' }, 0);
        g.set({ status: 'failed' }, 0);
        s.webhookDeliveries.forEach((r) => g.set({ status: r.status }, r.count));
      },
    );
    fromDatabase('openccs_log_records', 'Records in the public disclosure log (its tree size).', [], (g, s) =>
      g.set(s.logSize),
    );
    fromDatabase(
      'openccs_log_last_append_timestamp_seconds',
      'When the last record was appended to the public log (Unix time); absent while the log is empty.',
      [],
      (g, s) => {
        if (s.logLastAppend !== null) g.set(s.logLastAppend);
      },
    );
    new Gauge({
      name: 'openccs_reports_stuck',
      help: 'Reports that need an operator, as GET /api/v1/admin/stuck lists them, by remedy (`restart`: the workflow cannot make progress; `add_member`: an escalation waits for a role nobody holds). At most a few hundred are counted.',
      labelNames: ['remedy'],
      registers,
      async collect() {
        const stuck = await self.read(self.stuck);
        this.reset();
        if (!stuck) return;
        this.set({ remedy: 'restart' }, stuck.filter((s) => s.remedy === 'restart').length);
        this.set({ remedy: 'add_member' }, stuck.filter((s) => s.remedy === 'add_member').length);
      },
    });
    new Gauge({
      name: 'openccs_metrics_source_up',
      help: 'Whether the last read of the gauges’ source succeeded (1) or failed (0): `database` (PostgreSQL) or `temporal` (the stuck list).',
      labelNames: ['source'],
      registers,
      async collect() {
        // The same cached reads the other gauges wait for (prom-client collects them all at once).
        const [database, temporal] = await Promise.all([self.read(self.operations), self.read(self.stuck)]);
        this.set({ source: 'database' }, database ? 1 : 0);
        this.set({ source: 'temporal' }, temporal ? 1 : 0);
      },
    });
  }

  /** A source's figures, or undefined when it cannot be read (openccs_metrics_source_up says so). */
  private read<T>(source: Cached<T>): Promise<T | undefined> {
    return source.get().catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }
}
