/**
 * The example alert rules and dashboard (deploy/prometheus, deploy/grafana) use only metrics
 * that exist: OpenCCS's own (as the API and the worker register them), the processes' defaults
 * (prom-client), the Temporal SDK's (apps/worker/src/sdk-metric-names.ts), and Prometheus's `up`.
 * A renamed metric fails here, not silently on an operator's dashboard.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { API_METRIC_NAMES } from '../../apps/api/src/metrics/api-metrics';
import { WORKER_METRIC_NAMES } from '../../apps/worker/src/metrics';
import { TEMPORAL_SDK_METRIC_NAMES } from '../../apps/worker/src/sdk-metric-names';

const root = join(__dirname, '../..');

function defaultMetricNames(): string[] {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const names = registry.getMetricsAsArray().map((m) => m.name);
  registry.clear();
  return names;
}

const KNOWN = new Set<string>([
  ...API_METRIC_NAMES,
  ...WORKER_METRIC_NAMES,
  ...TEMPORAL_SDK_METRIC_NAMES,
  ...defaultMetricNames(),
  'up',
]);

/** Metric names in a PromQL expression: our prefixes, and `up`; a histogram's series by its base name. */
function metricsIn(expr: string): string[] {
  const names = [...expr.matchAll(/\b((?:openccs|temporal|process|nodejs)_[a-z0-9_]+|up(?=\{))/g)].map(
    (m) => m[1] ?? '',
  );
  return names.map((n) => (KNOWN.has(n) ? n : n.replace(/_(bucket|sum|count)$/, '')));
}

interface Rule {
  alert: string;
  expr: string;
}

describe('deploy/ monitoring examples', () => {
  const alerts = parse(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: Array<{ name: string; rules: Rule[] }>;
  };
  const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/openccs-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  const rules = alerts.groups.flatMap((g) => g.rules);
  const targets = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, expr: t.expr })));

  it('has alert rules and dashboard panels', () => {
    expect(rules.length).toBeGreaterThan(5);
    expect(targets.length).toBeGreaterThan(5);
    for (const rule of rules) expect(rule.alert).toMatch(/^OpenCCS[A-Za-z]+$/);
  });

  it.each([
    ['alerts.yml', () => rules.map((r) => ({ where: r.alert, expr: r.expr }))],
    ['openccs-dashboard.json', () => targets.map((t) => ({ where: t.title, expr: t.expr }))],
  ] as const)('%s names only metrics that are exported', (_, exprs) => {
    const unknown = exprs().flatMap(({ where, expr }) =>
      metricsIn(expr)
        .filter((n) => !KNOWN.has(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    expect(exprs().every(({ expr }) => metricsIn(expr).length > 0)).toBe(true);
  });

  it('covers every OpenCCS gauge somewhere', () => {
    const used = new Set([...rules, ...targets].flatMap((r) => metricsIn(r.expr)));
    expect(API_METRIC_NAMES.filter((n) => !used.has(n))).toEqual([]);
  });
});
