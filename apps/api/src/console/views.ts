/**
 * The console's pages: the same escaping templates and interface text as the portal, forms that
 * work without a script, one h1 per page, every control labelled. A page shows what the services
 * say; it decides nothing (which buttons appear is `availableActions`' answer).
 */
import { REPORT_STATUSES, type AvailableActions, type KindSnapshot } from '@openccs/domain';
import { html, type Html } from '../portal/html';
import type { MessageKey, Translator } from '../portal/i18n';
import { languageSwitch } from '../portal/views';
import type { EscalationView } from '../escalations/escalations.dto';
import type { NotificationView } from '../notifications/notifications.dto';
import type { FeedbackView } from '../feedback/feedback.dto';
import type { InboxItem, ProjectReportItem, ReportView } from '../reports/reports.dto';
import { CSRF_FIELD } from './session';

/** What every page's frame needs: the language, where it is, and who is signed in. */
export interface Frame {
  readonly t: Translator;
  readonly path: string;
  readonly user?: {
    readonly username: string;
    readonly systemRole: string;
    readonly csrf: string;
    readonly unread: number;
  };
}

/** A refused action or a bad form: the reason, in the page's language where we have it. */
export interface Refusal {
  readonly code: string | undefined;
  readonly detail: string;
  readonly errors: ReadonlyArray<{ field: string; message: string }>;
}

const csrfField = (frame: Frame) =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${frame.user?.csrf}" />`;

/** The form's one-time key: a double click or a resent form does its work once. */
const formKey = (key: string) => html`<input type="hidden" name="_key" value="${key}" />`;

export function consoleLayout(frame: Frame, title: string, main: Html): Html {
  const { t, user } = frame;
  return html`<!doctype html>
    <html lang="${t.locale}" dir="${t.dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — ${t.t('console.name')}</title>
        <link rel="stylesheet" href="/portal/assets/portal.css" />
        <link rel="stylesheet" href="/portal/assets/console.css" />
        <link rel="icon" href="/portal/assets/favicon.svg" type="image/svg+xml" />
        <script src="/portal/assets/console.js" defer></script>
      </head>
      <body class="console">
        <a class="skip" href="#main">${t.t('skip')}</a>
        <header class="site">
          <p class="brand"><a href="/console">${t.t('console.name')}</a></p>
          ${
            user
              ? html`<nav aria-label="${t.t('console.name')}">
                    <ul>
                      <li><a href="/console">${t.t('console.nav.inbox')}</a></li>
                      <li><a href="/console/projects">${t.t('console.nav.projects')}</a></li>
                      <li><a href="/console/escalations">${t.t('console.escalations.heading')}</a></li>
                      ${
                        user.systemRole === 'admin'
                          ? html`<li><a href="/console/admin">${t.t('console.admin.heading')}</a></li>`
                          : ''
                      }
                      ${
                        user.systemRole === 'admin' || user.systemRole === 'auditor'
                          ? html`<li><a href="/console/audit">${t.t('console.audit.heading')}</a></li>`
                          : ''
                      }
                      <li>
                        <a href="/console/notifications"
                          >${t.t('console.nav.notifications')}
                          <span class="count">${t.count('console.unread', user.unread)}</span></a
                        >
                      </li>
                    </ul>
                  </nav>
                  <form method="post" action="/console/logout" class="sign-out">
                    ${csrfField(frame)}
                    <span class="who">${user.username}</span>
                    <button type="submit">${t.t('console.signOut')}</button>
                  </form>`
              : ''
          }
          ${languageSwitch(t, frame.path)}
        </header>
        <main id="main">${main}</main>
      </body>
    </html>`;
}

export function refusalBox(t: Translator, refusal: Refusal | undefined): Html | '' {
  if (!refusal) return '';
  const known = refusal.code ? `console.refusal.${refusal.code}` : undefined;
  const localized = known && known in LOCALIZED_REFUSALS ? t.t(known as MessageKey) : undefined;
  return html`<div class="refusal" role="alert" id="refusal">
    <h2>${t.t('console.refused')}</h2>
    <p>${localized ?? refusal.detail}</p>
    ${localized && t.locale !== 'en' ? html`<p lang="en" dir="ltr" class="detail">${refusal.detail}</p>` : ''}
    ${
      refusal.errors.length > 0
        ? html`<ul>
            ${refusal.errors.map((e) => html`<li><span class="field">${e.field}</span>: ${e.message}</li>`)}
          </ul>`
        : ''
    }
  </div>`;
}

/** Refusal codes with a sentence of their own in every language (console.refusal.<code>). */
const LOCALIZED_REFUSALS: Readonly<Record<string, true>> = Object.fromEntries(
  [
    'decision.not_assignee',
    'decision.own_report',
    'decision.already_approved',
    'step.not_open',
    'report.closed',
    'report.not_returned',
    'report.not_submitter',
    'delegation.not_assignee',
    'delegation.invalid_target',
    'validation_failed',
    'report.too_large',
    'auth.invalid_credentials',
    'auth.password_change_required',
    'auth.locked_out',
    'rate_limited',
    'csrf_failed',
    'escalation.not_handler',
    'escalation.resolved',
    'escalation.invalid',
  ].map((code) => [`console.refusal.${code}`, true]),
);

export function loginPage(
  frame: Frame,
  form: { next: string; loginToken: string; username: string; oneTime?: boolean },
  refusal?: Refusal,
): Html {
  const { t } = frame;
  // Signed in with a one-time password: the same form asks for the holder's own new one.
  const oneTime = form.oneTime === true || refusal?.code === 'auth.password_change_required';
  return html`<h1>${t.t('console.signIn.heading')}</h1>
    ${refusalBox(t, refusal)}
    <form method="post" action="/console/login" class="stack">
      <input type="hidden" name="${CSRF_FIELD}" value="${form.loginToken}" />
      <input type="hidden" name="next" value="${form.next}" />
      <p>
        <label for="username">${t.t('console.username')}</label>
        <input id="username" name="username" autocomplete="username" required value="${form.username}" />
      </p>
      <p>
        <label for="password">${t.t('console.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
      </p>
      ${
        oneTime
          ? html`<p>
              <label for="newPassword">${t.t('console.newPassword')}</label>
              <input
                id="newPassword"
                name="newPassword"
                type="password"
                autocomplete="new-password"
                required
                minlength="12"
              />
            </p>`
          : ''
      }
      <p><button type="submit">${t.t('console.signIn')}</button></p>
    </form>`;
}

const option = (value: string, label: string, selected: boolean) =>
  html`<option value="${value}" ${selected ? html` selected` : ''}>${label}</option>`;

/** A table that scrolls sideways on a phone rather than overflowing the page. */
function table(caption: string, headers: readonly string[], rows: readonly Html[]): Html {
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${headers.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

export interface InboxView {
  readonly items: readonly InboxItem[];
  readonly filter: {
    readonly projectId?: string;
    readonly kind?: string;
    readonly overdue?: boolean;
    readonly order: 'due' | 'opened';
  };
  readonly projects: ReadonlyArray<{ readonly id: string; readonly code: string; readonly title: string }>;
  readonly kinds: readonly string[];
  readonly now: string;
  /** What the list is now, for the page's script to notice that it changed. */
  readonly state: string;
  /** Citizens' feedback waiting for me: to answer, or (answered) to moderate. */
  readonly feedback: readonly FeedbackView[];
}

const isOverdue = (dueAt: string | null, now: string) => dueAt !== null && dueAt < now;

export function inboxPage(frame: Frame, view: InboxView): Html {
  const { t } = frame;
  const { filter } = view;
  const overdue = view.items.filter((i) => isOverdue(i.dueAt, view.now)).length;
  const rows = view.items.map(
    (i) =>
      html`<tr class="${isOverdue(i.dueAt, view.now) ? 'overdue' : ''}">
        <th scope="row"><a href="/console/reports/${i.reportId}">${i.title}</a></th>
        <td><span class="code">${i.projectCode}</span> ${i.projectTitle}</td>
        <td>${t.kind(i.kind)}</td>
        <td>${i.stepName}</td>
        <td>
          ${i.dueAt ? html`<time datetime="${i.dueAt}">${t.dateTime(i.dueAt)}</time>` : t.t('console.noDeadline')}
          ${isOverdue(i.dueAt, view.now) ? html`<strong class="badge">${t.t('console.overdue')}</strong>` : ''}
        </td>
      </tr>`,
  );
  return html`<h1 data-inbox-state="${view.state}">${t.t('console.inbox.heading')}</h1>
    <p id="inbox-notice" hidden role="status">
      ${t.t('console.inbox.changed')} <a href="${frame.path}">${t.t('console.inbox.reload')}</a>
    </p>
    <p class="counts" role="status">
      ${t.count('console.inbox.count', view.items.length)} · ${t.count('console.inbox.overdueCount', overdue)}
    </p>
    <form method="get" action="/console" class="filters">
      <fieldset>
        <legend>${t.t('console.filter.legend')}</legend>
        <p>
          <label for="projectId">${t.t('console.filter.project')}</label>
          <select id="projectId" name="projectId">
            ${option('', t.t('console.filter.any'), !filter.projectId)}
            ${view.projects.map((p) => option(p.id, `${p.code} — ${p.title}`, p.id === filter.projectId))}
          </select>
        </p>
        <p>
          <label for="kind">${t.t('console.filter.kind')}</label>
          <select id="kind" name="kind">
            ${option('', t.t('console.filter.any'), !filter.kind)}
            ${view.kinds.map((k) => option(k, t.kind(k), k === filter.kind))}
          </select>
        </p>
        <p>
          <input
            id="overdue"
            name="overdue"
            type="checkbox"
            value="true"
            ${filter.overdue ? html` checked` : ''}
          />
          <label for="overdue">${t.t('console.filter.overdue')}</label>
        </p>
        <p>
          <label for="order">${t.t('console.filter.order')}</label>
          <select id="order" name="order">
            ${option('due', t.t('console.filter.order.due'), filter.order === 'due')}
            ${option('opened', t.t('console.filter.order.opened'), filter.order === 'opened')}
          </select>
        </p>
        <p><button type="submit">${t.t('console.filter.apply')}</button></p>
      </fieldset>
    </form>
    <p><a href="${frame.path}">${t.t('console.inbox.reload')}</a></p>
    ${
      view.items.length === 0
        ? html`<p>${t.t('console.inbox.empty')}</p>`
        : table(
            t.t('console.inbox.caption'),
            [
              'console.col.report',
              'console.col.project',
              'console.col.kind',
              'console.col.step',
              'console.col.due',
            ].map((k) => t.t(k as MessageKey)),
            rows,
          )
    }
    ${feedbackSection(frame, view.feedback, view.now)}`;
}

/** The inbox's citizen feedback: each a link to its page, with project, category and deadline. */
function feedbackSection(frame: Frame, items: readonly FeedbackView[], now: string): Html {
  const { t } = frame;
  return html`<section aria-labelledby="inbox-feedback">
    <h2 id="inbox-feedback">${t.t('console.feedback.heading')}</h2>
    ${
      items.length === 0
        ? html`<p>${t.t('console.feedback.empty')}</p>`
        : table(
            t.t('console.feedback.caption'),
            [
              'console.feedback.col.message',
              'console.col.project',
              'feedback.category',
              'console.report.status',
              'console.col.due',
            ].map((k) => t.t(k as MessageKey)),
            items.map(
              (f) =>
                html`<tr class="${isOverdue(f.status === 'assigned' ? f.dueAt : null, now) ? 'overdue' : ''}">
                  <th scope="row"><a href="/console/feedback/${f.id}">${excerpt(f.message)}</a></th>
                  <td><span class="code">${f.projectCode}</span></td>
                  <td>${t.t(`feedback.category.${f.category}` as MessageKey)}</td>
                  <td>${t.t(`feedback.status.${f.status}` as MessageKey)}</td>
                  <td>
                    ${f.dueAt ? html`<time datetime="${f.dueAt}">${t.dateTime(f.dueAt)}</time>` : ''}
                    ${f.status === 'assigned' && isOverdue(f.dueAt, now) ? html`<strong class="badge">${t.t('console.overdue')}</strong>` : ''}
                  </td>
                </tr>`,
            ),
          )
    }
  </section>`;
}

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

export interface FeedbackPageView {
  readonly feedback: FeedbackView;
  readonly formKey: string;
  readonly refusal?: Refusal | undefined;
  readonly done?: boolean;
}

/** One feedback: the question, the contact for whoever answers it, and the answer and moderation forms. */
export function feedbackPage(frame: Frame, view: FeedbackPageView): Html {
  const { t } = frame;
  const f = view.feedback;
  const row = (label: MessageKey, value: Html | string) =>
    html`<div>
      <dt>${t.t(label)}</dt>
      <dd>${value}</dd>
    </div>`;
  return html`<p class="crumbs"><span class="code">${f.projectCode}</span></p>
    <h1>
      ${t.t('console.feedback.page', { category: t.t(`feedback.category.${f.category}` as MessageKey) })}
    </h1>
    ${view.done ? html`<p role="status" class="done">${t.t('console.done')}</p>` : ''}
    ${refusalBox(t, view.refusal)}
    <dl class="facts">
      ${row('console.report.status', t.t(`feedback.status.${f.status}` as MessageKey))}
      ${row('feedback.question', f.message)} ${f.followUp ? row('feedback.followUp', f.followUp) : ''}
      ${row('feedback.track.received', t.dateTime(f.receivedAt))}
      ${f.dueAt ? row('feedback.track.due', t.dateTime(f.dueAt)) : ''}
      ${f.escalatedTo.length ? row('console.feedback.escalatedTo', f.escalatedTo.map((r) => t.t(`role.${r}` as MessageKey)).join(', ')) : ''}
      ${row('console.feedback.contact', f.contact ?? (f.contactDeleted ? t.t('console.feedback.contactDeleted') : '—'))}
      ${f.answer ? row('feedback.answer', f.answer) : ''}
      ${f.moderation ? row('console.feedback.moderation', `${t.t(`console.feedback.action.${f.moderation}` as MessageKey)} — ${f.moderationReason ?? ''}`) : ''}
    </dl>
    ${
      f.mayAnswer
        ? html`<form method="post" action="/console/feedback/${f.id}/answer" class="stack">
            ${csrfField(frame)} ${formKey(view.formKey)}
            <p>
              <label for="answer">${t.t('console.feedback.answer')}</label>
              <textarea id="answer" name="answer" rows="5" required></textarea>
            </p>
            <p><button type="submit">${t.t('console.feedback.answerButton')}</button></p>
          </form>`
        : ''
    }
    ${
      f.mayModerate
        ? html`<form method="post" action="/console/feedback/${f.id}/moderate" class="stack">
            ${csrfField(frame)} ${formKey(view.formKey)}
            <p>
              <label for="action">${t.t('console.feedback.moderation')}</label>
              <select id="action" name="action">
                ${(['publish', 'hide', 'spam'] as const).map((a) => option(a, t.t(`console.feedback.action.${a}` as MessageKey), false))}
              </select>
            </p>
            <p>
              <label for="reason">${t.t('console.feedback.reason')}</label>
              <input id="reason" name="reason" required />
            </p>
            <p><button type="submit">${t.t('console.feedback.moderateButton')}</button></p>
          </form>`
        : ''
    }
    <p><a href="/console">${t.t('console.inbox.heading')}</a></p>`;
}

export interface ReportPageView {
  readonly report: ReportView;
  /** The kind the report was submitted under: its fields' labels. */
  readonly kind: KindSnapshot;
  readonly project: { readonly code: string; readonly title: string };
  readonly actions: AvailableActions;
  /** Display names of the people the page mentions, by user id. */
  readonly names: Readonly<Record<string, string>>;
  /** Who the open step may be handed to (members of its role), when the viewer may delegate. */
  readonly delegates: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly history: ReadonlyArray<{ readonly at: string; readonly action: string; readonly actor: string }>;
  /** A fresh one-time key for each form on the page. */
  readonly formKey: string;
  readonly done?: string;
  readonly refusal?: Refusal;
  /** What the viewer typed, shown again after a refusal. */
  readonly comment?: string;
  /** For the submitter of a returned report: the form to send it again. */
  readonly resubmit?: ReportFormView;
  /** The open escalations of this report the viewer handles, with their forms. */
  readonly escalations?: readonly Html[];
}

export function reportPage(frame: Frame, view: ReportPageView): Html {
  const { t } = frame;
  const { report, actions } = view;
  const name = (id: string) => view.names[id] ?? id;
  const base = `/console/reports/${report.id}`;
  const decisionsOf = (key: string) => report.decisions.filter((d) => d.stepKey === key);
  const steps = report.steps.map(
    (s) =>
      html`<li class="step ${s.status}">
        <h3>${s.name}</h3>
        <dl>
          <dt>${t.t('console.report.stepStatus')}</dt>
          <dd>${t.t(`console.step.${s.status}` as MessageKey)}</dd>
          <dt>${t.t('console.report.assignees')}</dt>
          <dd>${s.assignees.length > 0 ? s.assignees.map(name).join(', ') : '—'}</dd>
          <dt>${t.t('console.col.due')}</dt>
          <dd>${s.dueAt ? html`<time datetime="${s.dueAt}">${t.dateTime(s.dueAt)}</time>` : '—'}</dd>
        </dl>
        ${
          decisionsOf(s.key).length > 0
            ? html`<ul class="decisions">
                ${decisionsOf(s.key).map(
                  (d) =>
                    html`<li>
                      <strong>${t.t(`console.action.${d.action}` as MessageKey)}</strong> —
                      ${name(d.actorId)},
                      <time datetime="${d.at}">${t.dateTime(d.at)}</time>
                      (${t.t('console.report.revisionN', { n: d.revision })})
                      ${d.comment ? html`<blockquote>${d.comment}</blockquote>` : ''}
                    </li>`,
                )}
              </ul>`
            : ''
        }
      </li>`,
  );
  const attachments = report.attachments.map(
    (a) =>
      html`<li>
        <a href="/console/files/${a.fileId}">${a.name}</a>
        <span class="size">(${t.bytes(a.size)})</span> · ${t.t('console.report.revisionN', { n: a.revision })}
        · ${a.public ? t.t('console.attachment.public') : t.t('console.attachment.private')}
      </li>`,
  );
  const decide =
    actions.decide.length > 0
      ? html`<form method="post" action="${base}/decisions" class="stack">
          ${csrfField(frame)} ${formKey(view.formKey)}
          <p>
            <label for="comment">${t.t('console.comment')}</label>
            <textarea id="comment" name="comment" rows="3" maxlength="4000">${view.comment ?? ''}</textarea>
          </p>
          <p class="buttons">
            ${actions.decide.map(
              (a) =>
                html`<button type="submit" name="action" value="${a}" class="${a}">
                  ${t.t(`console.decide.${a}` as MessageKey)}
                </button>`,
            )}
          </p>
        </form>`
      : '';
  const delegate =
    actions.delegate && view.delegates.length > 0
      ? html`<form method="post" action="${base}/delegations" class="stack">
          ${csrfField(frame)} ${formKey(view.formKey)}
          <p>
            <label for="toUserId">${t.t('console.delegateTo')}</label>
            <select id="toUserId" name="toUserId" required>
              ${view.delegates.map((d) => html`<option value="${d.id}">${d.name}</option>`)}
            </select>
          </p>
          <p><button type="submit">${t.t('console.delegate')}</button></p>
        </form>`
      : '';
  const withdraw = actions.withdraw
    ? html`<form method="post" action="${base}/withdraw">
        ${csrfField(frame)} ${formKey(view.formKey)}
        <p><button type="submit" class="reject">${t.t('console.withdraw')}</button></p>
      </form>`
    : '';
  const resubmit = view.resubmit
    ? html`<h3>${t.t('console.resubmit.heading')}</h3>
        ${reportForm(frame, view.resubmit)}`
    : '';
  const escalations =
    view.escalations && view.escalations.length > 0
      ? html`<section aria-labelledby="escalations">
          <h2 id="escalations">${t.t('console.escalations.heading')}</h2>
          ${view.escalations}
        </section>`
      : '';
  const acting = decide || delegate || withdraw || resubmit;
  return html`<p class="crumbs"><span class="code">${view.project.code}</span> ${view.project.title}</p>
    <h1>${report.title}</h1>
    ${view.done ? html`<p class="done" role="status">${t.t('console.done')}</p>` : ''}
    ${refusalBox(t, view.refusal)}
    <dl class="facts">
      <dt>${t.t('console.col.kind')}</dt>
      <dd>${t.kind(report.kind)}</dd>
      <dt>${t.t('console.report.status')}</dt>
      <dd>${t.t(`console.status.${report.status}` as MessageKey)}</dd>
      <dt>${t.t('console.report.revision')}</dt>
      <dd>${report.revision}</dd>
      <dt>${t.t('console.report.submitter')}</dt>
      <dd>${name(report.submitterId)}</dd>
      ${
        report.amount
          ? html`<dt>${t.t('console.report.amount')}</dt>
              <dd>${t.money(report.amount)}</dd>`
          : ''
      }
      ${
        report.publicSummary
          ? html`<dt>${t.t('console.report.summary')}</dt>
              <dd>${report.publicSummary}</dd>`
          : ''
      }
      ${bodyFacts(t, view.kind, report.body)}
    </dl>
    ${
      acting
        ? html`<section aria-labelledby="act" class="act">
            <h2 id="act">${t.t('console.report.act')}</h2>
            ${decide} ${delegate} ${resubmit} ${withdraw}
          </section>`
        : ''
    }
    ${escalations}
    <section aria-labelledby="line">
      <h2 id="line">${t.t('console.report.line')}</h2>
      <ol class="line">
        ${steps}
      </ol>
    </section>
    <section aria-labelledby="attachments">
      <h2 id="attachments">${t.t('console.report.attachments')}</h2>
      ${
        attachments.length > 0
          ? html`<ul>
              ${attachments}
            </ul>`
          : html`<p>${t.t('console.none')}</p>`
      }
    </section>
    <section aria-labelledby="history">
      <h2 id="history">${t.t('console.report.history')}</h2>
      <ol class="history">
        ${view.history.map(
          (h) =>
            html`<li>
              <time datetime="${h.at}">${t.dateTime(h.at)}</time> — <code>${h.action}</code> — ${h.actor}
            </li>`,
        )}
      </ol>
    </section>`;
}

/** The report's own fields, labelled as its kind's form labels them. */
function bodyFacts(t: Translator, kind: KindSnapshot, body: Readonly<Record<string, unknown>>): Html[] {
  const properties = (kind.body as { properties?: Record<string, SchemaProperty> }).properties ?? {};
  return Object.entries(body)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(
      ([name, value]) =>
        html`<dt>${properties[name] ? labelOf(t, name, properties[name]) : name}</dt>
          <dd>${typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>`,
    );
}

export function errorPage(frame: Frame, status: number, refusal: Refusal): Html {
  const { t } = frame;
  return html`<h1>${t.t(status === 404 ? 'console.notFound' : 'console.error')}</h1>
    ${refusalBox(t, refusal)}
    <p><a href="/console">${t.t('console.nav.inbox')}</a></p>`;
}

export function notificationsPage(frame: Frame, items: readonly NotificationView[], key: string): Html {
  const { t } = frame;
  return html`<h1>${t.t('console.nav.notifications')}</h1>
    ${
      items.length === 0
        ? html`<p>${t.t('console.none')}</p>`
        : html`<ol class="notifications">
            ${items.map(
              (n) =>
                html`<li class="${n.readAt ? 'read' : 'unread'}">
                  <p>
                    ${n.readAt ? '' : html`<strong class="badge">${t.t('console.notification.new')}</strong>`}
                    ${t.t(`console.notification.${n.kind}` as MessageKey)}:
                    <a href="/console/reports/${n.reportId}">${n.title}</a>
                    — <time datetime="${n.createdAt}">${t.dateTime(n.createdAt)}</time>
                  </p>
                  ${
                    n.readAt
                      ? ''
                      : html`<form method="post" action="/console/notifications/${n.id}/read">
                          ${csrfField(frame)} ${formKey(key)}
                          <button type="submit" aria-label="${t.t('console.markRead')}: ${n.title}">
                            ${t.t('console.markRead')}
                          </button>
                        </form>`
                  }
                </li>`,
            )}
          </ol>`
    }`;
}

/** A property of a kind's body schema, as a form field shows it. */
interface SchemaProperty {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly title?: string;
  readonly 'x-titles'?: Readonly<Record<string, string>>;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** What a report form (new or resubmitted) shows and sends back. */
export interface ReportFormView {
  readonly action: string;
  /** The chosen kind: its key, schema, amount meaning and whether attachments may be public. */
  readonly kind: KindSnapshot;
  /** Every kind the person may choose (a new report only). */
  readonly kinds?: readonly string[];
  readonly currency: string;
  /** What the person typed, by field name (`title`, `body.reason`, …). */
  readonly values: Readonly<Record<string, string>>;
  /** Files uploaded with an earlier attempt of this form, kept for the next one. */
  readonly kept: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly formKey: string;
  readonly submitLabel: 'console.submit' | 'console.resubmit';
  /** Field errors by field name, shown beside the field. */
  readonly errors: Readonly<Record<string, string>>;
}

/** The label of a body field: its title in the page's language, else its title, else its name. */
function labelOf(t: Translator, name: string, p: SchemaProperty): string {
  return p['x-titles']?.[t.locale] ?? p.title ?? name;
}

/** One labelled control, its error beside it (and named by aria-describedby). */
function field(
  id: string,
  label: string,
  control: (describedBy: string | undefined) => Html,
  error: string | undefined,
  required = false,
  t?: Translator,
): Html {
  const errorId = error ? `${id}-error` : undefined;
  return html`<p>
    <label for="${id}"
      >${label}${required && t ? html` <span class="req" aria-hidden="true">(${t.t('console.required')})</span>` : ''}</label
    >
    ${control(errorId)} ${error ? html`<span class="error" id="${errorId}">${error}</span>` : ''}
  </p>`;
}

/** A control for one property of the kind's JSON Schema: hints in the page, the truth on the server. */
function bodyField(
  t: Translator,
  name: string,
  p: SchemaProperty,
  required: boolean,
  value: string | undefined,
  error: string | undefined,
): Html {
  const id = `body-${name}`;
  const fieldName = `body.${name}`;
  const label = labelOf(t, name, p);
  const common = (d: string | undefined) =>
    html`id="${id}" name="${fieldName}" ${required ? html` required` : ''}
    ${d ? html` aria-describedby="${d}" aria-invalid="true"` : ''}`;
  if (p.type === 'boolean')
    return field(
      id,
      label,
      (d) =>
        html`<input type="checkbox" value="true" ${common(d)} ${value === 'true' ? html` checked` : ''} />`,
      error,
    );
  if (p.enum)
    return field(
      id,
      label,
      (d) =>
        html`<select ${common(d)}>
          <option value="">—</option>
          ${p.enum?.map(
            (v) =>
              html`<option value="${String(v)}" ${String(v) === value ? html` selected` : ''}>
                ${String(v)}
              </option>`,
          )}
        </select>`,
      error,
      required,
      t,
    );
  if (p.type === 'integer' || p.type === 'number')
    return field(
      id,
      label,
      (d) =>
        html`<input
          type="number"
          inputmode="${p.type === 'integer' ? 'numeric' : 'decimal'}"
          step="${p.type === 'integer' ? '1' : 'any'}"
          ${p.minimum !== undefined ? html` min="${p.minimum}"` : ''}
          ${p.maximum !== undefined ? html` max="${p.maximum}"` : ''}
          value="${value ?? ''}"
          ${common(d)}
        />`,
      error,
      required,
      t,
    );
  if (p.format === 'date')
    return field(
      id,
      label,
      (d) => html`<input type="date" value="${value ?? ''}" ${common(d)} />`,
      error,
      required,
      t,
    );
  if ((p.maxLength ?? 0) > 200)
    return field(
      id,
      label,
      (d) => html`<textarea rows="4" maxlength="${p.maxLength}" ${common(d)}>${value ?? ''}</textarea>`,
      error,
      required,
      t,
    );
  return field(
    id,
    label,
    (d) =>
      html`<input
        type="text"
        ${p.maxLength ? html` maxlength="${p.maxLength}"` : ''}
        value="${value ?? ''}"
        ${common(d)}
      />`,
    error,
    required,
    t,
  );
}

/** The kind chooser of a new report: without a script, choosing reloads the page with its fields. */
export function kindChooser(frame: Frame, form: ReportFormView): Html | '' {
  const { t } = frame;
  if (!form.kinds) return '';
  return html`<form method="get" class="stack kind-chooser">
    <p>
      <label for="kind">${t.t('console.kind')}</label>
      <select id="kind" name="kind">
        ${form.kinds.map(
          (k) =>
            html`<option value="${k}" ${k === form.kind.key ? html` selected` : ''}>${t.kind(k)}</option>`,
        )}
      </select>
    </p>
    <p><button type="submit">${t.t('console.chooseKind')}</button></p>
  </form>`;
}

/** A report's form, for a new report or a resubmission; the kind's body fields from its schema. */
export function reportForm(frame: Frame, form: ReportFormView): Html {
  const { t } = frame;
  const { kind, values, errors } = form;
  const schema = kind.body as { properties?: Record<string, SchemaProperty>; required?: readonly string[] };
  const required = new Set(schema.required ?? []);
  const bodyFields = Object.entries(schema.properties ?? {}).map(([name, p]) =>
    bodyField(
      t,
      name,
      p,
      required.has(name),
      values[`body.${name}`],
      errors[`body.${name}`] ?? errors[`body`],
    ),
  );
  const text = (name: string, label: string, control: (d: string | undefined) => Html, req = false) =>
    field(name, label, control, errors[name], req, t);
  const invalid = (d: string | undefined) => (d ? html` aria-describedby="${d}" aria-invalid="true"` : '');
  return html`<form method="post" action="${form.action}" enctype="multipart/form-data" class="stack">
    ${csrfField(frame)} ${formKey(form.formKey)}
    <input type="hidden" name="kind" value="${kind.key}" />
    ${form.kinds ? '' : html`<p>${t.t('console.kind')}: <strong>${t.kind(kind.key)}</strong></p>`}
    ${text(
      'title',
      t.t('console.title'),
      (d) =>
        html`<input
          id="title"
          name="title"
          required
          maxlength="300"
          value="${values.title ?? ''}"
          ${invalid(d)}
        />`,
      true,
    )}
    ${text(
      'publicSummary',
      t.t('console.publicSummary'),
      (d) =>
        html`<textarea id="publicSummary" name="publicSummary" rows="3" maxlength="2000" ${invalid(d)}>
${values.publicSummary ?? ''}</textarea>`,
    )}
    ${
      kind.amount !== 'none'
        ? text(
            'amount',
            t.t('console.amount'),
            (d) =>
              html`<input
                  id="amount"
                  name="amount"
                  type="number"
                  step="any"
                  inputmode="decimal"
                  required
                  value="${values.amount ?? ''}"
                  aria-describedby="${d ?? 'amount-currency'}"
                  ${d ? html` aria-invalid="true"` : ''}
                />
                <span id="amount-currency">${form.currency}</span>`,
            true,
          )
        : ''
    }
    ${
      bodyFields.length > 0
        ? html`<fieldset>
            <legend>${t.kind(kind.key)}</legend>
            ${bodyFields}
          </fieldset>`
        : ''
    }
    <fieldset>
      <legend>${t.t('console.attachments')}</legend>
      ${
        form.kept.length > 0
          ? html`<ul>
              ${form.kept.map(
                (f) =>
                  html`<li>
                    <input type="hidden" name="attachment" value="${f.id}" />${f.name}
                    (${t.t('console.kept')})
                  </li>`,
              )}
            </ul>`
          : ''
      }
      ${text(
        'attachments',
        t.t('console.attachments'),
        (d) => html`<input id="attachments" name="attachments" type="file" multiple ${invalid(d)} />`,
      )}
      ${
        kind.disclosure.attachments
          ? html`<p>
              <input
                id="publish"
                name="publish"
                type="checkbox"
                value="true"
                ${values.publish === 'true' ? html` checked` : ''}
              />
              <label for="publish">${t.t('console.publishAttachments')}</label>
            </p>`
          : ''
      }
    </fieldset>
    <p>
      <progress max="100" value="0" hidden aria-label="${t.t('console.uploading')}"></progress>
    </p>
    <p><button type="submit">${t.t(form.submitLabel)}</button></p>
  </form>`;
}

export function projectsPage(
  frame: Frame,
  projects: ReadonlyArray<{ readonly id: string; readonly code: string; readonly title: string }>,
): Html {
  const { t } = frame;
  return html`<h1>${t.t('console.projects.heading')}</h1>
    ${
      projects.length === 0
        ? html`<p>${t.t('console.none')}</p>`
        : html`<ul class="projects">
            ${projects.map(
              (p) =>
                html`<li>
                  <span class="code">${p.code}</span> <a href="/console/projects/${p.id}">${p.title}</a>
                </li>`,
            )}
          </ul>`
    }`;
}

export interface ProjectPageView {
  readonly project: { readonly id: string; readonly code: string; readonly title: string };
  readonly role: string | null;
  readonly maySubmit: boolean;
  readonly reports: readonly ProjectReportItem[];
  readonly filter: { readonly status?: string; readonly kind?: string };
  readonly kinds: readonly string[];
  readonly members: ReadonlyArray<{ readonly name: string; readonly role: string }>;
  readonly lines: ReadonlyArray<{
    readonly kind: string;
    readonly version: number;
    readonly steps: readonly string[];
  }>;
}

export function projectPage(frame: Frame, view: ProjectPageView): Html {
  const { t } = frame;
  const { project, filter } = view;
  return html`<p class="crumbs"><span class="code">${project.code}</span></p>
    <h1>${project.title}</h1>
    ${view.role ? html`<p>${t.t('console.project.myRole', { role: t.t(`console.role.${view.role}` as MessageKey) })}</p>` : ''}
    ${
      view.maySubmit
        ? html`<p>
            <a class="button" href="/console/projects/${project.id}/reports/new"
              >${t.t('console.newReport')}</a
            >
          </p>`
        : ''
    }
    <section aria-labelledby="reports">
      <h2 id="reports">${t.t('console.project.reports')}</h2>
      <form method="get" class="filters">
        <fieldset>
          <legend>${t.t('console.filter.legend')}</legend>
          <p>
            <label for="status">${t.t('console.filter.status')}</label>
            <select id="status" name="status">
              ${option('', t.t('console.filter.any'), !filter.status)}
              ${REPORT_STATUSES.map((s) => option(s, t.t(`console.status.${s}` as MessageKey), s === filter.status))}
            </select>
          </p>
          <p>
            <label for="kind">${t.t('console.filter.kind')}</label>
            <select id="kind" name="kind">
              ${option('', t.t('console.filter.any'), !filter.kind)}
              ${view.kinds.map((k) => option(k, t.kind(k), k === filter.kind))}
            </select>
          </p>
          <p><button type="submit">${t.t('console.filter.apply')}</button></p>
        </fieldset>
      </form>
      ${
        view.reports.length === 0
          ? html`<p>${t.t('console.none')}</p>`
          : table(
              t.t('console.project.reports'),
              [
                'console.col.report',
                'console.col.kind',
                'console.report.status',
                'console.report.revision',
              ].map((k) => t.t(k as MessageKey)),
              view.reports.map(
                (r) =>
                  html`<tr>
                    <th scope="row"><a href="/console/reports/${r.id}">${r.title}</a></th>
                    <td>${t.kind(r.kind)}</td>
                    <td>${t.t(`console.status.${r.status}` as MessageKey)}</td>
                    <td>${r.revision}</td>
                  </tr>`,
              ),
            )
      }
    </section>
    <section aria-labelledby="members">
      <h2 id="members">${t.t('console.project.members')}</h2>
      <ul>
        ${view.members.map((m) => html`<li>${m.name} — ${t.t(`console.role.${m.role}` as MessageKey)}</li>`)}
      </ul>
    </section>
    <section aria-labelledby="lines">
      <h2 id="lines">${t.t('console.project.lines')}</h2>
      <ul>
        ${view.lines.map(
          (l) => html`<li><strong>${t.kind(l.kind)}</strong> (v${l.version}): ${l.steps.join(' → ')}</li>`,
        )}
      </ul>
    </section>`;
}

export function escalationsPage(frame: Frame, items: readonly EscalationView[]): Html {
  const { t } = frame;
  return html`<h1>${t.t('console.escalations.heading')}</h1>
    ${
      items.length === 0
        ? html`<p>${t.t('console.none')}</p>`
        : html`<ul class="escalations">
            ${items.map(
              (e) =>
                html`<li>
                  <a href="/console/reports/${e.reportId}#escalation-${e.id}">${e.reportTitle}</a>
                  — <span class="code">${e.projectCode}</span>, ${t.kind(e.reportKind)},
                  ${t.t(`console.escalation.${e.reason}` as MessageKey)}, ${t.t('console.col.due')}
                  <time datetime="${e.dueAt}">${t.dateTime(e.dueAt)}</time>
                </li>`,
            )}
          </ul>`
    }`;
}

/** Extensions offered, in days: what an escalation handler grants in practice. */
const EXTENSION_DAYS = [1, 2, 3, 5, 7, 14];

/** The resolution form of one open escalation, for the person who handles it. */
export function escalationForm(
  frame: Frame,
  escalation: EscalationView,
  candidates: ReadonlyArray<{ readonly id: string; readonly name: string }>,
  key: string,
  justification = '',
): Html {
  const { t } = frame;
  const id = escalation.id;
  const days = new Intl.NumberFormat(t.locale, { style: 'unit', unit: 'day', unitDisplay: 'long' });
  return html`<form
    method="post"
    action="/console/escalations/${id}/resolve"
    class="stack"
    id="escalation-${id}"
  >
    ${csrfField(frame)} ${formKey(key)}
    <p>
      ${t.t(`console.escalation.${escalation.reason}` as MessageKey)} — ${t.t('console.col.due')}
      <time datetime="${escalation.dueAt}">${t.dateTime(escalation.dueAt)}</time>
    </p>
    <p>
      <label for="justification-${id}">${t.t('console.justification')}</label>
      <textarea id="justification-${id}" name="justification" rows="3" maxlength="4000" required>
${justification}</textarea>
    </p>
    ${
      candidates.length > 0
        ? html`<p>
              <label for="toUserId-${id}">${t.t('console.reassignTo')}</label>
              <select id="toUserId-${id}" name="toUserId">
                ${candidates.map((c) => html`<option value="${c.id}">${c.name}</option>`)}
              </select>
            </p>
            <p class="buttons">
              <button type="submit" name="action" value="reassign">${t.t('console.reassign')}</button>
            </p>`
        : ''
    }
    <p>
      <label for="extendBy-${id}">${t.t('console.extendBy')}</label>
      <select id="extendBy-${id}" name="extendBy">
        ${EXTENSION_DAYS.map((d) => html`<option value="P${d}D">${days.format(d)}</option>`)}
      </select>
    </p>
    <p class="buttons">
      <button type="submit" name="action" value="extend">${t.t('console.extend')}</button>
    </p>
    <p class="buttons">
      <button type="submit" name="action" value="approve">${t.t('console.onBehalf.approve')}</button>
      <button type="submit" name="action" value="return" class="return">
        ${t.t('console.onBehalf.return')}
      </button>
      <button type="submit" name="action" value="reject" class="reject">
        ${t.t('console.onBehalf.reject')}
      </button>
    </p>
  </form>`;
}
