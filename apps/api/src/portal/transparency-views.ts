/**
 * The portal's pages about what the data means: the map of projects, the agencies and their
 * comparison, the red flags. Every figure links to the records it is computed from; every flag
 * says that it is not proof and how it is computed.
 */
import type { AgencyFigures, RedFlag, Share } from '@openccs/disclosure';
import { html, raw, type Html } from './html';
import type { MessageKey, Translator } from './i18n';
import { locationText, withLang } from './views';

export interface MapProject {
  readonly code: string;
  readonly title: string;
  readonly agency: string;
  readonly status: string;
  readonly location: { address: string | null; lat: number | null; lon: number | null } | null;
}

/**
 * The map of projects: a list (which works without script, tiles or anything else) and, when the
 * script runs, a Leaflet map of the projects with coordinates drawn over MAP_TILES_URL's tiles.
 */
export function mapPage(
  t: Translator,
  projects: readonly MapProject[],
  tiles: { url: string; attribution: string },
): Html {
  const placed = projects.filter((p) => p.location?.lat != null && p.location?.lon != null);
  const data = JSON.stringify({
    tiles: tiles.url,
    attribution: tiles.attribution,
    projects: placed.map((p) => ({
      code: p.code,
      title: p.title,
      lat: p.location?.lat,
      lon: p.location?.lon,
      href: withLang(`/projects/${encodeURIComponent(p.code)}`, t.locale),
    })),
  }).replace(/</g, '\\u003c');
  return html`<h1>${t.t('map.heading')}</h1>
    <p>${t.t('map.intro')}</p>
    <div id="map" class="map" role="region" aria-label="${t.t('map.heading')}" hidden></div>
    <p id="map-status" role="status" data-tiles-failed="${t.t('map.tilesFailed')}"></p>
    <script type="application/json" id="map-data">
      ${raw(data)}
    </script>
    <section aria-labelledby="map-list">
      <h2 id="map-list">${t.t('map.list', { count: projects.length })}</h2>
      <ul class="projects">
        ${projects.map(
          (p) =>
            html`<li>
              <a href="${withLang(`/projects/${encodeURIComponent(p.code)}`, t.locale)}">${p.title}</a>
              <span class="code">${p.code}</span> · ${p.agency} ·
              ${p.location ? locationText(p.location) : t.t('map.noLocation')}
            </li>`,
        )}
      </ul>
    </section>
    <link rel="stylesheet" href="/portal/assets/leaflet.css" />
    <script src="/portal/assets/leaflet.js"></script>
    <script src="/portal/assets/map.js"></script>`;
}

const FIGURES = ['steps', 'onTime', 'late', 'onBehalf', 'escalated'] as const;
export type Figure = (typeof FIGURES)[number];
export const isFigure = (v: unknown): v is Figure => (FIGURES as readonly unknown[]).includes(v);

const duration = (t: Translator, seconds: number | null): string => {
  if (seconds === null) return '—';
  const [value, unit] =
    seconds >= 86_400
      ? [seconds / 86_400, 'day']
      : seconds >= 3_600
        ? [seconds / 3_600, 'hour']
        : [seconds / 60, 'minute'];
  return new Intl.NumberFormat(t.locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: 1,
  }).format(value);
};

const figureHref = (t: Translator, agencyId: string, figure: Figure, step?: string) =>
  withLang(
    `/agencies/${agencyId}/records?figure=${figure}${step ? `&step=${encodeURIComponent(step)}` : ''}`,
    t.locale,
  );

/** A share as "rate (count of basis)", linked to the records it counts. */
function shareLink(t: Translator, agencyId: string, figure: Figure, s: Share): Html {
  return html`<a href="${figureHref(t, agencyId, figure)}"
    >${figure === 'steps' ? String(s.count) : html`${t.percent(s.rate)} <small>(${s.count}/${s.of})</small>`}</a
  >`;
}

/** Every agency side by side. */
export function agenciesPage(t: Translator, agencies: readonly AgencyFigures[], treeSize: number): Html {
  return html`<h1>${t.t('agencies.heading')}</h1>
    <p>${t.t('agencies.intro')}</p>
    <div class="table-scroll">
      <table class="compare">
        <caption>
          ${t.t('agencies.caption', { size: treeSize })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.t('agencies.agency')}</th>
            <th scope="col">${t.t('agencies.projects')}</th>
            <th scope="col">${t.t('agencies.steps')}</th>
            <th scope="col">${t.t('agencies.onTime')}</th>
            <th scope="col">${t.t('agencies.median')}</th>
            <th scope="col">${t.t('agencies.p90')}</th>
            <th scope="col">${t.t('agencies.onBehalf')}</th>
            <th scope="col">${t.t('agencies.escalated')}</th>
          </tr>
        </thead>
        <tbody>
          ${agencies.map(
            (a) =>
              html`<tr>
                <th scope="row"><a href="${withLang(`/agencies/${a.id}`, t.locale)}">${a.name}</a></th>
                <td>${a.projects.length}</td>
                <td>${shareLink(t, a.id, 'steps', a.steps)}</td>
                <td>${shareLink(t, a.id, 'onTime', a.onTime)}</td>
                <td>${duration(t, a.medianSeconds)}</td>
                <td>${duration(t, a.p90Seconds)}</td>
                <td>${shareLink(t, a.id, 'onBehalf', a.onBehalf)}</td>
                <td>${shareLink(t, a.id, 'escalated', a.escalated)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <p>${t.t('agencies.how')}</p>`;
}

/** One agency: its figures, each linked to its records, and its times per step. */
export function agencyPage(
  t: Translator,
  a: AgencyFigures,
  flags: readonly RedFlag[],
  treeSize: number,
): Html {
  const row = (label: MessageKey, value: Html | string) =>
    html`<div>
      <dt>${t.t(label)}</dt>
      <dd>${value}</dd>
    </div>`;
  return html`<h1>${a.name}</h1>
    <p>${t.t('agency.asOf', { size: treeSize })}</p>
    <dl class="facts">
      ${row(
        'agencies.projects',
        html`${a.projects.map(
          (code, i) =>
            html`${i > 0 ? ', ' : ''}<a href="${withLang(`/projects/${encodeURIComponent(code)}`, t.locale)}"
                >${code}</a
              >`,
        )}`,
      )}
      ${row('agencies.steps', shareLink(t, a.id, 'steps', a.steps))}
      ${row('agencies.onTime', shareLink(t, a.id, 'onTime', a.onTime))}
      ${row('agencies.late', shareLink(t, a.id, 'late', a.late))}
      ${row('agencies.median', duration(t, a.medianSeconds))}
      ${row('agencies.p90', duration(t, a.p90Seconds))}
      ${row('agencies.onBehalf', shareLink(t, a.id, 'onBehalf', a.onBehalf))}
      ${row('agencies.escalated', shareLink(t, a.id, 'escalated', a.escalated))}
      ${row('agencies.feedbackAnswered', html`${t.percent(a.feedback.answered.rate)} <small>(${a.feedback.answered.count}/${a.feedback.rounds})</small>`)}
      ${row(
        'agencies.feedbackOverdue',
        html`${t.percent(a.feedback.overdue.rate)}
          <small>(${a.feedback.overdue.count}/${a.feedback.rounds})</small>
          ${a.feedback.overdue.records.map((seq) => html` <a href="${withLang(`/records/${seq}`, t.locale)}">#${seq}</a>`)}`,
      )}
      ${row('agencies.feedbackMedian', duration(t, a.feedback.medianAnswerSeconds))}
    </dl>
    <section aria-labelledby="by-step">
      <h2 id="by-step">${t.t('agency.byStep')}</h2>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.t('agency.kind')}</th>
              <th scope="col">${t.t('agency.step')}</th>
              <th scope="col">${t.t('agencies.steps')}</th>
              <th scope="col">${t.t('agencies.onTime')}</th>
              <th scope="col">${t.t('agencies.median')}</th>
              <th scope="col">${t.t('agencies.p90')}</th>
            </tr>
          </thead>
          <tbody>
            ${a.byStep.map(
              (s) =>
                html`<tr>
                  <td>${t.kind(s.reportKind)}</td>
                  <th scope="row">${s.stepName}</th>
                  <td>
                    <a href="${figureHref(t, a.id, 'steps', `${s.reportKind}/${s.stepKey}`)}">${s.count}</a>
                  </td>
                  <td>
                    <a href="${figureHref(t, a.id, 'onTime', `${s.reportKind}/${s.stepKey}`)}"
                      >${t.percent(s.onTime.rate)}</a
                    >
                  </td>
                  <td>${duration(t, s.medianSeconds)}</td>
                  <td>${duration(t, s.p90Seconds)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    <section aria-labelledby="agency-flags">
      <h2 id="agency-flags">${t.t('flags.heading')}</h2>
      ${flagList(t, flags)}
    </section>
    <p>${t.t('agencies.how')}</p>`;
}

/** The records one figure of an agency is computed from. */
export function agencyRecordsPage(
  t: Translator,
  a: AgencyFigures,
  figure: Figure,
  seqs: readonly number[],
  step: string | undefined,
): Html {
  return html`<h1>${a.name}: ${t.t(`agencies.${figure}` as MessageKey)}</h1>
    ${step ? html`<p>${step}</p>` : ''}
    <p>${t.t('agency.records', { count: seqs.length })}</p>
    <ol class="records">
      ${seqs.map(
        (seq) =>
          html`<li>
            <a href="${withLang(`/records/${seq}`, t.locale)}">${t.t('record.heading', { seq })}</a>
          </li>`,
      )}
    </ol>
    <p><a href="${withLang(`/agencies/${a.id}`, t.locale)}">${a.name}</a></p>`;
}

/** Flags, each with its facts, formula, threshold and records; "not proof" said once above them. */
export function flagList(t: Translator, flags: readonly RedFlag[]): Html {
  if (flags.length === 0) return html`<p>${t.t('flags.none')}</p>`;
  return html`<p class="notice">${t.t('flags.notProof')}</p>
    <ul class="flags">
      ${flags.map((f) => flagItem(t, f))}
    </ul>`;
}

function flagItem(t: Translator, f: RedFlag): Html {
  const subject = [
    f.subject.project,
    f.subject.agency?.name,
    f.subject.contractor?.name,
    f.subject.official,
    f.subject.reportKind ? t.kind(f.subject.reportKind) : undefined,
    f.subject.stepKey,
  ]
    .filter(Boolean)
    .join(' · ');
  return html`<li id="${f.id}" class="flag ${f.status}">
    <h3>
      ${t.t(`flag.${f.code}` as MessageKey)}
      <small>${f.code}${f.ocp.length ? ` · OCP ${f.ocp.join(', ')}` : ''}</small>
    </h3>
    <p>
      <strong>${t.t(`flags.status.${f.status}` as MessageKey)}</strong> — ${subject}.
      ${t.t('flags.raised', { date: t.date(f.raised.at) })}${
        f.outweighed
          ? html` ${t.t('flags.outweighed', { date: t.date(f.outweighed.at) })}
              <a href="${withLang(`/records/${f.outweighed.seq}`, t.locale)}">#${f.outweighed.seq}</a>`
          : ''
      }
    </p>
    <dl class="facts">
      <div>
        <dt>${t.t('flags.facts')}</dt>
        <dd>
          ${Object.entries(f.facts).map(([k, v], i) => html`${i > 0 ? ', ' : ''}<code>${k}</code> ${String(v)}`)}
        </dd>
      </div>
      <div>
        <dt>${t.t('flags.formula')}</dt>
        <dd><code>${f.formula}</code></dd>
      </div>
      <div>
        <dt>${t.t('flags.threshold')}</dt>
        <dd>
          ${String(f.threshold.value)}${
            f.threshold.minimum !== undefined
              ? ` (${t.t('flags.minimum', { minimum: f.threshold.minimum })})`
              : ''
          }
          — ${f.threshold.source}
        </dd>
      </div>
      <div>
        <dt>${t.t('flags.records')}</dt>
        <dd>
          ${f.records.map(
            (seq, i) =>
              html`${i > 0 ? ', ' : ''}<a href="${withLang(`/records/${seq}`, t.locale)}">#${seq}</a>`,
          )}
        </dd>
      </div>
    </dl>
  </li>`;
}

/** Every flag, with how flags are computed. */
export function flagsPage(
  t: Translator,
  flags: readonly RedFlag[],
  status: string | undefined,
  treeSize: number,
): Html {
  return html`<h1>${t.t('flags.heading')}</h1>
    <p>${t.t('flags.intro')}</p>
    <p>${t.t('flags.asOf', { size: treeSize })}</p>
    <nav aria-label="${t.t('flags.filter')}">
      <ul class="filters">
        <li>
          <a href="${withLang('/flags', t.locale)}" ${!status ? html`aria-current="page"` : ''}
            >${t.t('flags.all')}</a
          >
        </li>
        <li>
          <a
            href="${withLang('/flags?status=raised', t.locale)}"
            ${status === 'raised' ? html`aria-current="page"` : ''}
            >${t.t('flags.status.raised')}</a
          >
        </li>
        <li>
          <a
            href="${withLang('/flags?status=outweighed', t.locale)}"
            ${status === 'outweighed' ? html`aria-current="page"` : ''}
            >${t.t('flags.status.outweighed')}</a
          >
        </li>
        <li><a href="/public/v1/flags.atom">${t.t('flags.feed')}</a></li>
      </ul>
    </nav>
    ${flagList(t, flags)}`;
}
