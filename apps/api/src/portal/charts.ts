/**
 * The project's progress as pictures drawn on the server: SVG inside the page, no script, each with
 * a title, a description and the same figures as a table for whoever does not see it. In a
 * right-to-left language time runs from right to left, as the page reads.
 */
import type { ProjectFacts } from '@openccs/disclosure';
import { html, raw, type Html } from './html';
import type { MessageKey, Translator } from './i18n';

const W = 640;
const H = 220;
const PAD = { top: 16, bottom: 34, side: 64 };
const DAY = 86_400_000;

interface Axis {
  readonly from: number;
  readonly to: number;
}

/** The x coordinate of instant `t`, mirrored in right-to-left pages. */
function xOf(t: number, axis: Axis, rtl: boolean): number {
  const span = Math.max(axis.to - axis.from, DAY);
  const share = Math.min(1, Math.max(0, (t - axis.from) / span));
  const x = PAD.side + share * (W - 2 * PAD.side);
  return Math.round((rtl ? W - x : x) * 10) / 10;
}

const yOf = (share: number) =>
  Math.round((H - PAD.bottom - Math.min(1, Math.max(0, share)) * (H - PAD.top - PAD.bottom)) * 10) / 10;

const instant = (date: string) => Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);

/** The time axis of a project: its period, stretched to cover every figure and today. */
function timeAxis(
  facts: ProjectFacts,
  period: { start: string | null; end: string | null },
  now: number,
): Axis {
  const times = [
    ...(period.start ? [instant(period.start)] : []),
    ...(period.end ? [instant(period.end)] : []),
    ...facts.progress.map((p) => instant(p.date)),
    ...facts.payments.map((p) => instant(p.date)),
    ...facts.changes.map((c) => instant(c.date)),
    now,
  ];
  return { from: Math.min(...times), to: Math.max(...times) };
}

function frame(t: Translator, axis: Axis, yLabels: readonly [number, string][], rtl: boolean): Html {
  const left = rtl ? W - PAD.side : PAD.side;
  const anchorY = rtl ? 'start' : 'end';
  const labelX = rtl ? left + 6 : left - 6;
  return html`<g class="axis">
    ${yLabels.map(
      ([share, label]) =>
        html`<line x1="${PAD.side}" x2="${W - PAD.side}" y1="${yOf(share)}" y2="${yOf(share)}" class="grid" />
          <text x="${labelX}" y="${yOf(share) + 4}" text-anchor="${anchorY}">${label}</text>`,
    )}
    <text x="${xOf(axis.from, axis, rtl)}" y="${H - 10}" text-anchor="middle"
      >${t.date(new Date(axis.from).toISOString())}</text
    >
    <text x="${xOf(axis.to, axis, rtl)}" y="${H - 10}" text-anchor="middle"
      >${t.date(new Date(axis.to).toISOString())}</text
    >
  </g>`;
}

function chart(id: string, title: string, description: string, body: Html, rtl: boolean): Html {
  return html`<svg
    class="chart"
    viewBox="0 0 ${W} ${H}"
    role="img"
    aria-labelledby="${id}-title ${id}-desc"
    ${rtl ? raw(' direction="rtl"') : ''}
  >
    <title id="${id}-title">${title}</title>
    <desc id="${id}-desc">${description}</desc>
    ${body}
  </svg>`;
}

/** A chart's figures as a table, folded away: the same numbers for whoever does not see the picture. */
function figureTable(t: Translator, headers: readonly MessageKey[], rows: readonly Html[]): Html {
  return html`<details>
    <summary>${t.t('chart.table')}</summary>
    <table>
      <thead>
        <tr>
          ${headers.map((h) => html`<th scope="col">${t.t(h)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </details>`;
}

const points = (list: readonly (readonly [number, number])[]) => list.map(([x, y]) => `${x},${y}`).join(' ');

/**
 * Planned progress (a straight line over the project's period) against the physical progress
 * reported in approved progress reports; null when there is nothing to draw.
 */
export function progressChart(
  t: Translator,
  facts: ProjectFacts,
  period: { start: string | null; end: string | null },
  now: number,
): Html | null {
  const reported = facts.progress.filter((p) => p.physical !== null);
  if (reported.length === 0 && !(period.start && period.end)) return null;
  const rtl = t.dir === 'rtl';
  const axis = timeAxis(facts, period, now);
  const planned =
    period.start && period.end
      ? html`<polyline
          class="planned"
          points="${points([
            [xOf(instant(period.start), axis, rtl), yOf(0)],
            [xOf(instant(period.end), axis, rtl), yOf(1)],
          ])}"
        />`
      : '';
  const line = reported.map(
    (p) => [xOf(instant(p.date), axis, rtl), yOf((p.physical as number) / 100)] as const,
  );
  const last = reported[reported.length - 1];
  const description = last
    ? t.t('chart.progress.desc', { percent: last.physical as number, date: t.date(last.date) })
    : t.t('chart.progress.none');
  const body = html`${frame(
      t,
      axis,
      [0, 0.25, 0.5, 0.75, 1].map((s) => [s, t.percent(s)] as [number, string]),
      rtl,
    )}
    ${planned} ${line.length > 1 ? html`<polyline class="reported" points="${points(line)}" />` : ''}
    ${line.map(([x, y]) => html`<circle class="reported" cx="${x}" cy="${y}" r="4" />`)}
    ${
      last
        ? html`<text
            class="value"
            x="${line[line.length - 1]?.[0]}"
            y="${(line[line.length - 1]?.[1] ?? 0) - 8}"
            text-anchor="middle"
            >${t.percent((last.physical as number) / 100)}</text
          >`
        : ''
    }
    <line
      class="today"
      x1="${xOf(now, axis, rtl)}"
      x2="${xOf(now, axis, rtl)}"
      y1="${PAD.top}"
      y2="${H - PAD.bottom}"
    />`;
  return html`<figure class="chart">
    ${chart('progress-chart', t.t('chart.progress.title'), description, body, rtl)}
    <figcaption>
      <span class="key planned">${t.t('chart.planned')}</span>
      <span class="key reported">${t.t('chart.reported')}</span>
      <span class="key today">${t.t('chart.today')}</span>
    </figcaption>
    ${figureTable(
      t,
      ['chart.date', 'chart.physical', 'chart.financial', 'chart.record'],
      facts.progress.map(
        (p) =>
          html`<tr>
            <td>${t.date(p.date)}</td>
            <td>${p.physical === null ? '—' : t.percent(p.physical / 100)}</td>
            <td>${p.financial === null ? '—' : t.percent(p.financial / 100)}</td>
            <td><a href="/records/${p.seq}?lang=${t.locale}">${p.seq}</a></td>
          </tr>`,
      ),
    )}
  </figure>`;
}

/**
 * Approved payments, added up over time, against the contract value (which steps up or down with
 * each approved change); null without a contract value or payments.
 */
export function paymentsChart(
  t: Translator,
  facts: ProjectFacts,
  period: { start: string | null; end: string | null },
  now: number,
): Html | null {
  const original = facts.originalValue;
  if (!original || (facts.payments.length === 0 && facts.changes.length === 0)) return null;
  const rtl = t.dir === 'rtl';
  const axis = timeAxis(facts, period, now);
  const payments = facts.payments.filter((p) => p.amount.currency === original.currency);
  let paid = 0;
  const paidSteps = payments.map((p) => [instant(p.date), (paid += p.amount.value)] as const);
  const values: (readonly [number, number])[] = [
    [axis.from, original.value],
    ...facts.changes
      .filter((c) => c.newValue !== null)
      .map((c) => [instant(c.date), c.newValue?.value ?? 0] as const),
  ];
  const top = Math.max(...values.map(([, v]) => v), paid, 1) * 1.1;
  const stepLine = (list: readonly (readonly [number, number])[], until: number) => {
    const out: (readonly [number, number])[] = [];
    list.forEach(([at, v], i) => {
      const prev = out[out.length - 1];
      if (prev) out.push([xOf(at, axis, rtl), prev[1]]);
      out.push([xOf(at, axis, rtl), yOf(v / top)]);
      if (i === list.length - 1) out.push([xOf(until, axis, rtl), yOf(v / top)]);
    });
    return points(out);
  };
  const current = facts.currentValue ?? original;
  const body = html`${frame(
      t,
      axis,
      [0, 0.5, 1].map(
        (s) => [s, t.money({ value: Math.round(top * s), currency: original.currency })] as [number, string],
      ),
      rtl,
    )}
    <polyline class="value" points="${stepLine(values, axis.to)}" />
    ${paidSteps.length > 0 ? html`<polyline class="paid" points="${stepLine([[axis.from, 0], ...paidSteps], now)}" />` : ''}`;
  return html`<figure class="chart">
    ${chart(
      'payments-chart',
      t.t('chart.payments.title'),
      t.t('chart.payments.desc', {
        paid: t.money({ value: paid, currency: original.currency }),
        value: t.money(current),
      }),
      body,
      rtl,
    )}
    <figcaption>
      <span class="key value">${t.t('chart.contractValue')}</span>
      <span class="key paid">${t.t('chart.paid')}</span>
    </figcaption>
    ${figureTable(
      t,
      ['chart.date', 'chart.event', 'chart.amount', 'chart.record'],
      [
        ...facts.payments.map((p) => ({
          seq: p.seq,
          date: p.date,
          what: t.t('chart.payment'),
          amount: p.amount,
        })),
        ...facts.changes.map((c) => ({
          seq: c.seq,
          date: c.date,
          what: t.t('chart.change'),
          amount: c.amount,
        })),
      ]
        .sort((a, b) => a.seq - b.seq)
        .map(
          (e) =>
            html`<tr>
              <td>${t.date(e.date)}</td>
              <td>${e.what}</td>
              <td>${t.money(e.amount)}</td>
              <td><a href="/records/${e.seq}?lang=${t.locale}">${e.seq}</a></td>
            </tr>`,
        ),
    )}
  </figure>`;
}
