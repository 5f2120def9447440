/** The portal's pages: semantic HTML, labelled forms, one h1 per page, readable without scripts. */
import {
  filesNamedBy,
  isDocumentRecord,
  isFeedbackRecord,
  isKeyRotationRecord,
  isProjectRecord,
  isProjectScoped,
  isStepRecord,
  type DisclosureRecord,
  type FeedbackRecord,
  type KeyRotationRecord,
  type ProjectFacts,
  type ProjectRecord,
  type PublicFileRef,
  type RedFlag,
} from '@openccs/disclosure';
import { PROJECT_STATUSES } from '@openccs/domain';
import type { PublicService } from '../public/public.service';
import { paymentsChart, progressChart } from './charts';
import { html, type Html } from './html';
import { LOCALES, type Locale, type MessageKey, type Translator } from './i18n';
import { flagList } from './transparency-views';

export const withLang = (path: string, locale: Locale) =>
  `${path}${path.includes('?') ? '&' : '?'}lang=${locale}`;

/** The visible language switch: the same page in each language the site offers. */
export function languageSwitch(t: Translator, path: string): Html {
  const here = path.replace(/([?&])lang=[a-z]+&?/, '$1').replace(/[?&]$/, '');
  return html`<nav aria-label="${t.t('nav.language')}" class="languages">
    <ul>
      ${t.languages.map(
        (l) =>
          html`<li>
            <a
              href="${withLang(here, l)}"
              lang="${l}"
              hreflang="${l}"
              ${l === t.locale ? html` aria-current="true"` : ''}
              >${LOCALES[l]?.['lang.name']}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

export function layout(t: Translator, title: string, path: string, main: Html): Html {
  return html`<!doctype html>
    <html lang="${t.locale}" dir="${t.dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — ${t.t('site.name')}</title>
        <link rel="stylesheet" href="/portal/assets/portal.css" />
        <link rel="icon" href="/portal/assets/favicon.svg" type="image/svg+xml" />
        <link
          rel="alternate"
          type="application/atom+xml"
          href="/public/v1/feed.atom"
          title="${t.t('openData.atom')}"
        />
      </head>
      <body>
        <a class="skip" href="#main">${t.t('skip')}</a>
        <header class="site">
          <p class="brand"><a href="${withLang('/', t.locale)}">${t.t('site.name')}</a></p>
          <nav aria-label="${t.t('site.name')}">
            <ul>
              <li><a href="${withLang('/', t.locale)}">${t.t('nav.home')}</a></li>
              <li><a href="${withLang('/map', t.locale)}">${t.t('nav.map')}</a></li>
              <li><a href="${withLang('/agencies', t.locale)}">${t.t('nav.agencies')}</a></li>
              <li><a href="${withLang('/flags', t.locale)}">${t.t('nav.flags')}</a></li>
              <li><a href="${withLang('/verify', t.locale)}">${t.t('nav.verify')}</a></li>
              <li><a href="${withLang('/verify', t.locale)}#open-data">${t.t('nav.openData')}</a></li>
            </ul>
          </nav>
          ${languageSwitch(t, path)}
        </header>
        <main id="main">${main}</main>
        <footer class="site">${openData(t)}</footer>
      </body>
    </html>`;
}

export function openData(t: Translator): Html {
  return html`<section aria-labelledby="open-data">
    <h2 id="open-data">${t.t('openData.heading')}</h2>
    <ul>
      <li><a href="/public/v1/export/records.json">${t.t('openData.json')}</a></li>
      <li><a href="/public/v1/export/records.csv">${t.t('openData.csv')}</a></li>
      <li><a href="/public/v1/export/oc4ids.json">${t.t('openData.oc4ids')}</a></li>
      <li><a href="/public/v1/feed.atom">${t.t('openData.atom')}</a></li>
    </ul>
  </section>`;
}

export interface SearchForm {
  q?: string;
  status?: string;
  agency?: string;
  location?: string;
}

export function home(
  t: Translator,
  form: SearchForm,
  page: {
    items: Array<{
      code: string;
      title: string;
      agency: string;
      status: string;
      location: { address: string | null; lat: number | null; lon: number | null } | null;
      recordCount: number;
    }>;
    nextCursor: string | null;
  },
  nextHref: string | null,
): Html {
  const statusOptions = PROJECT_STATUSES.map(
    (s) =>
      html`<option value="${s}" ${form.status === s ? html` selected` : ''}>
        ${t.t(`status.${s}` as MessageKey)}
      </option>`,
  );
  const results =
    page.items.length === 0
      ? html`<p>${t.t('search.none')}</p>`
      : html`<ul class="projects">
          ${page.items.map(
            (p) =>
              html`<li>
                <h3>
                  <a href="${withLang(`/projects/${encodeURIComponent(p.code)}`, t.locale)}">${p.title}</a>
                </h3>
                <p>
                  <span class="code">${p.code}</span> ·
                  ${p.agency}${p.location?.address ? html` · ${p.location.address}` : ''} ·
                  ${t.t(`status.${p.status}` as MessageKey)} ·
                  ${t.t('project.records', { count: p.recordCount })}
                </p>
              </li>`,
          )}
        </ul>`;
  return html`<h1>${t.t('home.heading')}</h1>
    <p class="intro">${t.t('home.intro')}</p>
    <form method="get" action="/" role="search" class="search">
      <input type="hidden" name="lang" value="${t.locale}" />
      <fieldset>
        <legend>${t.t('search.legend')}</legend>
        <p>
          <label for="q">${t.t('search.q')}</label>
          <input id="q" name="q" type="search" value="${form.q ?? ''}" aria-describedby="q-hint" />
          <small id="q-hint">${t.t('search.q.hint')}</small>
        </p>
        <p>
          <label for="status">${t.t('search.status')}</label>
          <select id="status" name="status">
            <option value="">${t.t('search.status.any')}</option>
            ${statusOptions}
          </select>
        </p>
        <p>
          <label for="agency">${t.t('search.agency')}</label>
          <input id="agency" name="agency" value="${form.agency ?? ''}" />
        </p>
        <p>
          <label for="location">${t.t('search.location')}</label>
          <input id="location" name="location" value="${form.location ?? ''}" />
        </p>
        <p><button type="submit">${t.t('search.submit')}</button></p>
      </fieldset>
    </form>
    <section aria-labelledby="results">
      <h2 id="results">${t.t('search.results', { count: page.items.length })}</h2>
      ${results} ${nextHref ? html`<p><a rel="next" href="${nextHref}">${t.t('search.next')}</a></p>` : ''}
    </section>`;
}

/** Exactly what the public API's project overview returns: one shape for API and portal. */
type Overview = Awaited<ReturnType<PublicService['overview']>>;

/** Hashes of published files whose bytes were withdrawn for a legal reason. */
export type Withdrawn = ReadonlySet<string>;

/** A published file: a link to its bytes, with its name, type and size; or why it is gone. */
function fileLink(t: Translator, f: PublicFileRef, withdrawn: Withdrawn): Html {
  if (withdrawn.has(f.sha256))
    return html`<span>${f.name}</span> <strong class="withdrawn">${t.t('file.withdrawn')}</strong>`;
  return html`<a href="/public/v1/files/${f.sha256}" type="${f.contentType}">${f.name}</a>
    <span class="size">(${t.bytes(f.size)})</span>`;
}

/** Photos, as the published copies are: not drawings, which are image types too. */
const isPhoto = (f: PublicFileRef) => /^image\/(jpeg|png|webp)$/.test(f.contentType);

/** The site photos a project has published, newest first: attachments and documents alike. */
function gallery(t: Translator, records: readonly DisclosureRecord[], withdrawn: Withdrawn): Html | '' {
  const seen = new Set<string>();
  const photos: Array<{ file: PublicFileRef; seq: number; caption: string }> = [];
  for (const r of [...records].reverse()) {
    if (isProjectRecord(r) || isFeedbackRecord(r) || isKeyRotationRecord(r)) continue;
    const caption = isStepRecord(r) ? r.report.title : r.document.title;
    for (const file of filesNamedBy(r).filter((f) => isPhoto(f) && !withdrawn.has(f.sha256)))
      if (!seen.has(file.sha256)) {
        seen.add(file.sha256);
        photos.push({ file, seq: r.seq, caption });
      }
  }
  if (photos.length === 0) return '';
  return html`<section aria-labelledby="photos">
    <h2 id="photos">${t.t('project.photos')}</h2>
    <ul class="gallery">
      ${photos.slice(0, 48).map(
        (p) =>
          html`<li>
            <figure>
              <a href="/public/v1/files/${p.file.sha256}"
                ><img src="/public/v1/files/${p.file.sha256}?size=thumb" alt="${p.caption}" loading="lazy"
              /></a>
              <figcaption><a href="${withLang(`/records/${p.seq}`, t.locale)}">${p.caption}</a></figcaption>
            </figure>
          </li>`,
      )}
    </ul>
  </section>`;
}

export function project(
  t: Translator,
  o: Overview,
  records: DisclosureRecord[],
  withdrawn: Withdrawn,
  transparency: { facts: ProjectFacts; flags: readonly RedFlag[]; now: number },
): Html {
  const period = { start: o.startDate, end: o.endDate };
  const charts = [
    progressChart(t, transparency.facts, period, transparency.now),
    paymentsChart(t, transparency.facts, period, transparency.now),
  ].filter((c): c is Html => c !== null);
  const row = (label: MessageKey, value: Html | string) =>
    html`<div>
      <dt>${t.t(label)}</dt>
      <dd>${value}</dd>
    </div>`;
  const steps = records.filter(isStepRecord);
  const documents = records.filter(isDocumentRecord);
  const timeline =
    steps.length === 0
      ? html`<p>${t.t('project.noRecords')}</p>`
      : html`<ol class="timeline">
          ${steps.map(
            (r) =>
              html`<li>
                <a href="${withLang(`/records/${r.seq}`, t.locale)}"
                  ><time datetime="${r.step.decidedAt}">${t.dateTime(r.step.decidedAt)}</time> —
                  ${t.kind(r.report.kind)} «${r.report.title}»:
                  <span class="step">${r.step.name}</span>
                  ${t.t(`outcome.${r.step.outcome}` as MessageKey)}</a
                >
                <span class="by">${r.actor.organization} (${t.t(`role.${r.actor.role}` as MessageKey)})</span
                >${r.step.onTime ? '' : html` <span class="late">${t.t('record.late')}</span>`}${r.onBehalf ? html` <span class="behalf">${t.t('record.onBehalf')}</span>` : ''}${r.report.attachments?.length ? html` <span class="files">${t.t('record.files', { count: r.report.attachments.length })}</span>` : ''}
              </li>`,
          )}
        </ol>`;
  const documentList =
    documents.length === 0
      ? ''
      : html`<section aria-labelledby="documents">
          <h2 id="documents">${t.t('project.documents')}</h2>
          <ul class="documents">
            ${documents.map(
              (r) =>
                html`<li>
                  <a href="${withLang(`/records/${r.seq}`, t.locale)}">${r.document.title}</a>
                  (${t.t(`category.${r.document.category}` as MessageKey)},
                  ${t.t('document.version', { version: r.document.version })},
                  <time datetime="${r.publishedAt}">${t.date(r.publishedAt.slice(0, 10))}</time>) —
                  ${fileLink(t, r.document.file, withdrawn)}
                </li>`,
            )}
          </ul>
        </section>`;
  return html`<h1>${o.title}</h1>
    <p class="code">${o.code} · ${t.t(`status.${o.status}` as MessageKey)}</p>
    ${o.description ? html`<p>${o.description}</p>` : ''}
    <dl class="facts">
      ${row('project.agency', o.agency)}
      ${row('project.parties', html`${o.parties.map((p, i) => html`${i > 0 ? ', ' : ''}${p.organization} (${t.t(`role.${p.role}` as MessageKey)})`)}`)}
      ${o.location ? row('project.location', html`${locationText(o.location)}${o.location.lat !== null ? html` — <a href="${withLang('/map', t.locale)}">${t.t('nav.map')}</a>` : ''}`) : ''}
      ${row('project.period', `${t.date(o.startDate)} – ${t.date(o.endDate)}`)}
      ${row('project.contract', t.money(o.contractAmount))}
      ${o.contract.currentValue && o.contract.currentValue.value !== o.contract.originalValue?.value ? row('project.currentValue', t.money(o.contract.currentValue)) : ''}
      ${row('project.progress', o.latestProgress ? `${o.latestProgress.percent}% (${t.date(o.latestProgress.reportedAt)})` : '—')}
      ${row('project.payments', o.approvedPayments.totals.length ? o.approvedPayments.totals.map((a) => t.money(a)).join(', ') : '—')}
      ${row('project.onTime', t.percent(o.onTimeRate))}
    </dl>
    ${
      charts.length
        ? html`<section aria-labelledby="charts">
            <h2 id="charts">${t.t('project.charts')}</h2>
            ${charts}
          </section>`
        : ''
    }
    ${
      o.modifications.length
        ? html`<section aria-labelledby="changes">
            <h2 id="changes">${t.t('project.designChanges')}</h2>
            <ul>
              ${o.modifications.map(
                (d) =>
                  html`<li>
                    <a href="${withLang(`/records/${d.seq}`, t.locale)}">${d.title}</a>: ${t.money(d.amount)}
                    (${t.date(d.date)})${d.oldValue && d.newValue ? html` — ${t.money(d.oldValue)} → ${t.money(d.newValue)}` : ''}${d.rationale ? html`. ${d.rationale}` : ''}
                  </li>`,
              )}
            </ul>
          </section>`
        : ''
    }
    <section aria-labelledby="project-flags">
      <h2 id="project-flags">${t.t('flags.heading')}</h2>
      ${flagList(t, transparency.flags)}
      <p><a href="${withLang('/flags', t.locale)}">${t.t('flags.how')}</a></p>
    </section>
    ${gallery(t, records, withdrawn)} ${documentList}
    <section aria-labelledby="timeline">
      <h2 id="timeline">${t.t('project.timeline')}</h2>
      ${timeline}
    </section>`;
}

export function record(
  t: Translator,
  r: DisclosureRecord,
  proof: { treeSize: number; path: string[]; treeHead: { rootHash: string } },
  withdrawn: Withdrawn,
): Html {
  const row = (label: MessageKey, value: Html | string) =>
    html`<div>
      <dt>${t.t(label)}</dt>
      <dd>${value}</dd>
    </div>`;
  const facts = isProjectRecord(r)
    ? sheetFacts(t, r, row)
    : isFeedbackRecord(r)
      ? feedbackFacts(t, r, row)
      : isStepRecord(r)
        ? html`${row('record.step', `${t.kind(r.report.kind)} «${r.report.title}» — ${r.step.name}`)}
          ${row('record.outcome', t.t(`outcome.${r.step.outcome}` as MessageKey))}
          ${row('record.by', `${r.actor.organization} (${t.t(`role.${r.actor.role}` as MessageKey)})${r.actor.name ? `, ${r.actor.name}` : ''}`)}
          ${row('record.decidedAt', t.dateTime(r.step.decidedAt))}
          ${row('record.due', `${t.dateTime(r.step.dueAt)} — ${r.step.onTime ? t.t('record.onTime') : t.t('record.late')}`)}
          ${r.onBehalf ? row('record.onBehalf', r.onBehalf.justification) : ''}
          ${row('record.revision', String(r.report.revision))}
          ${r.report.amount ? row('record.amount', t.money(r.report.amount)) : ''}
          ${
            r.report.attachments?.length
              ? row(
                  'record.attachments',
                  html`<ul>
                    ${r.report.attachments.map((f) => html`<li>${fileLink(t, f, withdrawn)} <code class="sha">${f.sha256}</code></li>`)}
                  </ul>`,
                )
              : ''
          }`
        : isDocumentRecord(r)
          ? html`${row('record.document', `${r.document.title} — ${t.t(`category.${r.document.category}` as MessageKey)}, ${t.t('document.version', { version: r.document.version })}`)}
            ${row('record.by', `${r.actor.organization} (${t.t(`role.${r.actor.role}` as MessageKey)})${r.actor.name ? `, ${r.actor.name}` : ''}`)}
            ${row('record.publishedAt', t.dateTime(r.publishedAt))}
            ${row('record.attachments', html`${fileLink(t, r.document.file, withdrawn)} <code class="sha">${r.document.file.sha256}</code>`)}`
          : keyRotationFacts(t, r, row);
  return html`<h1>${t.t('record.heading', { seq: r.seq })}</h1>
    ${
      isProjectScoped(r)
        ? html`<p>
            <a href="${withLang(`/projects/${encodeURIComponent(r.project.code)}`, t.locale)}"
              >${r.project.title}</a
            >
            (${r.project.code})
          </p>`
        : ''
    }
    <dl class="facts">${facts} ${row('record.position', `${r.seq + 1} / ${proof.treeSize}`)}</dl>
    <section aria-labelledby="proof">
      <h2 id="proof">${t.t('record.proof')}</h2>
      <ol class="hashes">
        ${proof.path.map((h) => html`<li><code>${h}</code></li>`)}
      </ol>
      <p><code>root ${proof.treeHead.rootHash}</code></p>
      <p>
        <button
          type="button"
          id="verify"
          data-seq="${r.seq}"
          data-tree-size="${proof.treeSize}"
          data-ok="${t.t('record.verify.ok')}"
          data-fail="${t.t('record.verify.fail')}"
          hidden
        >
          ${t.t('record.verify')}
        </button>
      </p>
      <p id="verify-result" role="status" aria-live="polite"></p>
      <noscript><p>${t.t('record.verify.noscript')}</p></noscript>
    </section>
    <script type="module" src="/portal/assets/verify.js"></script>`;
}

export function verifyPage(t: Translator, keyId: string | null): Html {
  return html`<h1>${t.t('verify.heading')}</h1>
    <p>${t.t('verify.intro')}</p>
    <p>${t.t('verify.steps')}</p>
    <pre><code>${'npm ci\nnpm run verify -- --url <this site>'}</code></pre>
    <p>${t.t('verify.key')}</p>
    ${keyId ? html`<p><code>${keyId}</code></p>` : ''} ${openData(t)}`;
}

/** The facts of a project sheet record. */
function sheetFacts(
  t: Translator,
  r: ProjectRecord,
  row: (label: MessageKey, value: Html | string) => Html,
): Html {
  const s = r.sheet;
  return html`${row('record.sheet', t.t('record.sheet.version', { version: r.version }))}
  ${row('project.agency', s.agency.name)}
  ${s.location ? row('project.location', locationText(s.location)) : ''}
  ${row('project.period', `${t.date(s.startDate)} – ${t.date(s.endDate)}`)}
  ${row('project.contract', t.money(s.contractValue))}
  ${row('project.status', t.t(`status.${s.status}` as MessageKey))}
  ${row('project.parties', s.parties.map((p) => `${p.name} (${t.t(`role.${p.role}` as MessageKey)})`).join(', ') || '—')}
  ${row('record.publishedAt', t.dateTime(r.publishedAt))}`;
}

/** A location as one line: its address, and its coordinates when known. */
export function locationText(l: { address: string | null; lat: number | null; lon: number | null }): string {
  const at = l.lat !== null && l.lon !== null ? `${l.lat.toFixed(5)}, ${l.lon.toFixed(5)}` : '';
  return [l.address, at].filter(Boolean).join(' · ');
}

/** The facts of a feedback record: the question and the answer, or that it went unanswered. */
function feedbackFacts(
  t: Translator,
  r: FeedbackRecord,
  row: (label: MessageKey, value: Html | string) => Html,
): Html {
  const f = r.feedback;
  return html`${row('feedback.category', t.t(`feedback.category.${f.category}` as MessageKey))}
  ${f.question ? row('feedback.question', f.question) : ''}
  ${f.followUp ? row('feedback.followUp', f.followUp) : ''}
  ${
    f.answer && f.answeredBy
      ? row(
          'feedback.answer',
          html`${f.answer}
            <small
              >— ${f.answeredBy.organization}
              (${t.t(`role.${f.answeredBy.role}` as MessageKey)})${f.answeredBy.name ? `, ${f.answeredBy.name}` : ''}</small
            >`,
        )
      : row('feedback.answer', t.t(f.event === 'withheld' ? 'feedback.withheld' : 'feedback.unanswered'))
  }
  ${row('record.due', `${t.dateTime(f.dueAt)} — ${f.onTime ? t.t('record.onTime') : t.t('record.late')}`)}
  ${row('record.publishedAt', t.dateTime(r.publishedAt))}`;
}

/** A key rotation record: the log announcing its next signing key (docs/disclosure.md). */
function keyRotationFacts(
  t: Translator,
  r: KeyRotationRecord,
  row: (label: MessageKey, value: Html | string) => Html,
): Html {
  return html`${row(
    'record.keyRotation',
    t.t('record.keyRotation.detail', {
      size: r.rotation.fromTreeSize,
      next: r.rotation.nextKey.keyId,
      previous: r.rotation.previousKey.keyId,
    }),
  )}
  ${row('record.publishedAt', t.dateTime(r.publishedAt))}`;
}
