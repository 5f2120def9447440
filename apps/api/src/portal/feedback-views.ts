/**
 * The portal's side of citizen feedback: each project's published questions and answers, the
 * form (its proof of work solved by the page's script before it sends), the receipt with the
 * tracking code, and the tracking page.
 */
import type { FeedbackRecord } from '@openccs/disclosure';
import { FEEDBACK_CATEGORIES, MAX_FEEDBACK_LENGTH } from '@openccs/domain';
import { html, type Html } from './html';
import type { MessageKey, Translator } from './i18n';
import { withLang } from './views';

export interface FeedbackForm {
  readonly category?: string;
  readonly message?: string;
  readonly contact?: string;
  /** Why the last attempt was refused, in words. */
  readonly error?: string;
}

/** Answered questions, newest first, each round once. */
export function questionsAndAnswers(t: Translator, records: readonly FeedbackRecord[]): Html {
  const answered = records.filter((r) => r.feedback.event === 'answered').reverse();
  return html`<section aria-labelledby="qa">
    <h2 id="qa">${t.t('feedback.qa')}</h2>
    ${
      answered.length === 0
        ? html`<p>${t.t('feedback.qa.none')}</p>`
        : html`<ul class="qa">
            ${answered.map(
              (r) =>
                html`<li>
                  <p class="q">
                    <strong>${t.t(`feedback.category.${r.feedback.category}` as MessageKey)}</strong>:
                    ${r.feedback.question}${r.feedback.followUp ? html` — ${r.feedback.followUp}` : ''}
                  </p>
                  <p class="a">
                    ${r.feedback.answer}
                    <small
                      >— ${r.feedback.answeredBy?.organization}
                      (${t.t(`role.${r.feedback.answeredBy?.role ?? 'observer'}` as MessageKey)}),
                      <time datetime="${r.feedback.answeredAt ?? ''}">${t.date(r.feedback.answeredAt)}</time>,
                      ${r.feedback.onTime ? t.t('record.onTime') : t.t('record.late')} ·
                      <a href="${withLang(`/records/${r.seq}`, t.locale)}">#${r.seq}</a></small
                    >
                  </p>
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}

/** The form: it works with the page's script (which solves the challenge); without it, it says so. */
export function feedbackForm(t: Translator, code: string, form: FeedbackForm = {}): Html {
  return html`<section aria-labelledby="feedback-form">
    <h2 id="feedback-form">${t.t('feedback.form.heading')}</h2>
    <p>${t.t('feedback.form.intro')}</p>
    ${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ''}
    <form
      method="post"
      action="${withLang(`/projects/${encodeURIComponent(code)}/feedback`, t.locale)}"
      data-feedback
      data-challenge-url="/public/v1/feedback/challenge"
      class="stack"
    >
      <input type="hidden" name="altcha" value="" />
      <p>
        <label for="fb-category">${t.t('feedback.form.category')}</label>
        <select id="fb-category" name="category">
          ${FEEDBACK_CATEGORIES.map(
            (c) =>
              html`<option value="${c}" ${form.category === c ? html` selected` : ''}>
                ${t.t(`feedback.category.${c}` as MessageKey)}
              </option>`,
          )}
        </select>
      </p>
      <p>
        <label for="fb-message">${t.t('feedback.form.message')}</label>
        <textarea id="fb-message" name="message" rows="5" maxlength="${MAX_FEEDBACK_LENGTH}" required>
${form.message ?? ''}</textarea>
      </p>
      <p>
        <label for="fb-contact">${t.t('feedback.form.contact')}</label>
        <input
          id="fb-contact"
          name="contact"
          maxlength="200"
          value="${form.contact ?? ''}"
          aria-describedby="fb-contact-hint"
        />
        <small id="fb-contact-hint">${t.t('feedback.form.contact.hint')}</small>
      </p>
      <p
        data-feedback-status
        role="status"
        data-solving="${t.t('feedback.form.solving')}"
        data-sending="${t.t('feedback.form.sending')}"
        data-failed="${t.t('feedback.form.failed')}"
      ></p>
      <p><button type="submit">${t.t('feedback.form.send')}</button></p>
    </form>
    <noscript><p>${t.t('feedback.form.noscript')}</p></noscript>
    <script src="/portal/assets/feedback-pow.js"></script>
  </section>`;
}

export function feedbackReceipt(t: Translator, code: string, title: string, trackingCode: string): Html {
  return html`<h1>${t.t('feedback.receipt.heading')}</h1>
    <p>${t.t('feedback.receipt.intro', { title })}</p>
    <p class="tracking">
      ${t.t('feedback.receipt.code')} <strong><code id="tracking-code">${trackingCode}</code></strong>
    </p>
    <p>
      <a href="${withLang(`/feedback/${encodeURIComponent(trackingCode)}`, t.locale)}"
        >${t.t('feedback.receipt.track')}</a
      >
      · <a href="${withLang(`/projects/${encodeURIComponent(code)}`, t.locale)}">${title}</a>
    </p>`;
}

export interface TrackedFeedback {
  readonly status: string;
  readonly projectCode: string;
  readonly category: string;
  readonly message: string;
  readonly followUp: string | null;
  readonly receivedAt: string;
  readonly dueAt: string | null;
  readonly answer: string | null;
  readonly answeredBy: string | null;
  readonly answeredAt: string | null;
  readonly published: boolean;
}

export function trackingPage(t: Translator, trackingCode: string, f: TrackedFeedback): Html {
  const row = (label: MessageKey, value: Html | string) =>
    html`<div>
      <dt>${t.t(label)}</dt>
      <dd>${value}</dd>
    </div>`;
  return html`<h1>${t.t('feedback.track.heading', { code: trackingCode })}</h1>
    <dl class="facts">
      ${row('feedback.track.status', t.t(`feedback.status.${f.status}` as MessageKey))}
      ${row('feedback.category', t.t(`feedback.category.${f.category}` as MessageKey))}
      ${row('feedback.question', f.message)} ${f.followUp ? row('feedback.followUp', f.followUp) : ''}
      ${row('feedback.track.received', t.dateTime(f.receivedAt))}
      ${f.dueAt ? row('feedback.track.due', t.dateTime(f.dueAt)) : ''}
      ${row('feedback.answer', f.answer ? html`${f.answer} <small>— ${f.answeredBy}</small>` : t.t('feedback.unanswered'))}
      ${row('feedback.track.published', f.published ? t.t('feedback.track.yes') : t.t('feedback.track.no'))}
    </dl>
    <p>
      <a href="${withLang(`/projects/${encodeURIComponent(f.projectCode)}`, t.locale)}">${f.projectCode}</a>
    </p>`;
}
