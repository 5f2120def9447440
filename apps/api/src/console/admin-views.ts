/**
 * The console's administration and audit pages. As everywhere in the console, a page shows what
 * the services say and sends forms to them; validation is theirs, shown beside each field.
 */
import {
  ORGANIZATION_KINDS,
  PROJECT_ROLES,
  PROJECT_STATUSES,
  SYSTEM_ROLES,
  type StepTemplate,
} from '@openccs/domain';
import { html, type Html } from '../portal/html';
import type { MessageKey, Translator } from '../portal/i18n';
import { CSRF_FIELD } from './session';
import type { Frame } from './views';

export interface AdminForm {
  readonly values: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly key: string;
}

const hidden = (frame: Frame, key: string) =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${frame.user?.csrf}" />
    <input type="hidden" name="_key" value="${key}" />`;

const option = (value: string, label: string, selected: boolean) =>
  html`<option value="${value}" ${selected ? html` selected` : ''}>${label}</option>`;

/** A labelled input or select, its error beside it and named by aria-describedby. */
function control(
  t: Translator,
  form: AdminForm,
  name: string,
  label: MessageKey,
  kind: 'text' | 'password' | 'date' | 'number' | { options: ReadonlyArray<readonly [string, string]> },
  id = name,
): Html {
  const error = form.errors[name];
  const described = error ? html` aria-describedby="${id}-error" aria-invalid="true"` : '';
  const value = form.values[name] ?? '';
  const input =
    typeof kind === 'object'
      ? html`<select id="${id}" name="${name}" ${described}>
          ${kind.options.map(([v, l]) => option(v, l, v === value))}
        </select>`
      : html`<input
          id="${id}"
          name="${name}"
          type="${kind}"
          ${kind === 'number' ? html` step="any"` : ''}
          value="${kind === 'password' ? '' : value}"
          ${kind === 'password' ? html` autocomplete="new-password"` : ''}
          ${described}
        />`;
  return html`<p>
    <label for="${id}">${t.t(label)}</label>
    ${input} ${error ? html`<span class="error" id="${id}-error">${error}</span>` : ''}
  </p>`;
}

export function adminHome(frame: Frame): Html {
  const { t } = frame;
  return html`<h1>${t.t('console.admin.heading')}</h1>
    <ul>
      <li><a href="/console/admin/organizations">${t.t('console.admin.organizations')}</a></li>
      <li><a href="/console/admin/users">${t.t('console.admin.users')}</a></li>
      <li><a href="/console/admin/projects">${t.t('console.admin.projects')}</a></li>
      <li><a href="/console/audit">${t.t('console.audit.heading')}</a></li>
    </ul>`;
}

export function organizationsPage(
  frame: Frame,
  organizations: ReadonlyArray<{ readonly name: string; readonly kind: string }>,
  form: AdminForm,
): Html {
  const { t } = frame;
  return html`<h1>${t.t('console.admin.organizations')}</h1>
    <form method="post" action="/console/admin/organizations" class="stack">
      ${hidden(frame, form.key)} ${control(t, form, 'name', 'console.admin.name', 'text')}
      ${control(t, form, 'kind', 'console.admin.kind', {
        options: ORGANIZATION_KINDS.map((k) => [k, t.t(`console.orgKind.${k}` as MessageKey)] as const),
      })}
      <p><button type="submit">${t.t('console.admin.createOrganization')}</button></p>
    </form>
    <ul>
      ${organizations.map((o) => html`<li>${o.name} — ${t.t(`console.orgKind.${o.kind}` as MessageKey)}</li>`)}
    </ul>`;
}

export interface UserRowView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly organization: string;
  readonly systemRole: string;
  readonly active: boolean;
}

export function usersPage(
  frame: Frame,
  users: readonly UserRowView[],
  organizations: ReadonlyArray<{ readonly id: string; readonly name: string }>,
  form: AdminForm,
): Html {
  const { t } = frame;
  return html`<h1>${t.t('console.admin.users')}</h1>
    <form method="post" action="/console/admin/users" class="stack">
      <fieldset>
        <legend>${t.t('console.admin.createUser')}</legend>
        ${hidden(frame, form.key)} ${control(t, form, 'username', 'console.username', 'text')}
        ${control(t, form, 'displayName', 'console.admin.displayName', 'text')}
        ${control(t, form, 'password', 'console.password', 'password')}
        ${control(t, form, 'organizationId', 'console.admin.organization', {
          options: organizations.map((o) => [o.id, o.name] as const),
        })}
        ${control(t, form, 'systemRole', 'console.admin.systemRole', {
          options: SYSTEM_ROLES.map((r) => [r, t.t(`console.systemRole.${r}` as MessageKey)] as const),
        })}
        <p><button type="submit">${t.t('console.admin.createUser')}</button></p>
      </fieldset>
    </form>
    <ul class="users">
      ${users.map(
        (u) =>
          html`<li>
            <p>
              <strong>${u.displayName}</strong> (${u.username}) — ${u.organization},
              ${t.t(`console.systemRole.${u.systemRole}` as MessageKey)} ·
              ${u.active ? t.t('console.admin.active') : t.t('console.admin.inactive')}
            </p>
            <form
              method="post"
              action="/console/admin/users/${u.id}/${u.active ? 'deactivate' : 'reactivate'}"
            >
              ${hidden(frame, form.key)}
              <button
                type="submit"
                aria-label="${t.t(u.active ? 'console.admin.deactivate' : 'console.admin.reactivate')}: ${u.username}"
              >
                ${t.t(u.active ? 'console.admin.deactivate' : 'console.admin.reactivate')}
              </button>
            </form>
            <form method="post" action="/console/admin/users/${u.id}/password" class="inline">
              ${hidden(frame, form.key)}
              <label for="newPassword-${u.id}">${t.t('console.admin.newPassword')} (${u.username})</label>
              <input
                id="newPassword-${u.id}"
                name="newPassword"
                type="password"
                autocomplete="new-password"
              />
              <button type="submit" aria-label="${t.t('console.admin.resetPassword')}: ${u.username}">
                ${t.t('console.admin.resetPassword')}
              </button>
            </form>
          </li>`,
      )}
    </ul>`;
}

export function adminProjectsPage(
  frame: Frame,
  projects: ReadonlyArray<{ readonly id: string; readonly code: string; readonly title: string }>,
  agencies: ReadonlyArray<{ readonly id: string; readonly name: string }>,
  currency: string,
  form: AdminForm,
): Html {
  const { t } = frame;
  return html`<h1>${t.t('console.admin.projects')}</h1>
    <form method="post" action="/console/admin/projects" class="stack">
      <fieldset>
        <legend>${t.t('console.admin.createProject')}</legend>
        ${hidden(frame, form.key)} ${control(t, form, 'code', 'console.admin.code', 'text')}
        ${control(t, form, 'title', 'console.title', 'text')}
        ${control(t, form, 'agencyOrganizationId', 'console.admin.agency', {
          options: agencies.map((a) => [a.id, a.name] as const),
        })}
        ${control(t, form, 'contractAmount', 'console.admin.contractAmount', 'number')}
        <p class="hint">${currency}</p>
        ${control(t, form, 'startDate', 'console.admin.startDate', 'date')}
        ${control(t, form, 'endDate', 'console.admin.endDate', 'date')}
        <p><button type="submit">${t.t('console.admin.createProject')}</button></p>
      </fieldset>
    </form>
    <ul>
      ${projects.map(
        (p) =>
          html`<li>
            <span class="code">${p.code}</span> <a href="/console/admin/projects/${p.id}">${p.title}</a>
          </li>`,
      )}
    </ul>`;
}

export interface LineEditorView {
  readonly kind: string;
  readonly kinds: readonly string[];
  /** The rows shown: the line's steps as they are (or as sent), and empty rows to add steps. */
  readonly steps: ReadonlyArray<
    Partial<Record<keyof StepTemplate | 'escalateAfter' | 'escalateTo' | 'moreEscalation', string>>
  >;
}

export function adminProjectPage(
  frame: Frame,
  view: {
    readonly project: { readonly id: string; readonly code: string; readonly title: string };
    /** The project's editable fields as the edit form shows them (or as they were sent). */
    readonly edit: AdminForm;
    readonly members: ReadonlyArray<{
      readonly userId: string;
      readonly name: string;
      readonly role: string;
    }>;
    readonly people: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    readonly line: LineEditorView;
  },
  form: AdminForm,
): Html {
  const { t } = frame;
  const { project, line } = view;
  const base = `/console/admin/projects/${project.id}`;
  const roleOptions = PROJECT_ROLES.map((r) => [r, t.t(`console.role.${r}` as MessageKey)] as const);
  const cell = (
    i: number,
    name: string,
    label: MessageKey,
    input: (id: string, described: Html | '') => Html,
  ) => {
    const id = `steps-${i}-${name}`;
    const error = form.errors[`steps[${i}].${name}`];
    const described = error ? html` aria-describedby="${id}-error" aria-invalid="true"` : '';
    return html`<p>
      <label for="${id}">${t.t(label)}</label>
      ${input(id, described)} ${error ? html`<span class="error" id="${id}-error">${error}</span>` : ''}
    </p>`;
  };
  const rows = line.steps.map((s, i) => {
    const text = (name: keyof LineEditorView['steps'][number], label: MessageKey) =>
      cell(
        i,
        name,
        label,
        (id, d) => html`<input id="${id}" name="steps.${i}.${name}" value="${s[name] ?? ''}" ${d} />`,
      );
    const select = (
      name: keyof LineEditorView['steps'][number],
      label: MessageKey,
      options: ReadonlyArray<readonly [string, string]>,
    ) =>
      cell(
        i,
        name,
        label,
        (id, d) =>
          html`<select id="${id}" name="steps.${i}.${name}" ${d}>
            ${option('', '—', !s[name])} ${options.map(([v, l]) => option(v, l, v === s[name]))}
          </select>`,
      );
    return html`<fieldset>
      <legend>${t.t('console.admin.step', { n: i + 1 })}</legend>
      ${text('key', 'console.admin.stepKey')} ${text('name', 'console.admin.name')}
      ${select('assigneeRole', 'console.admin.assigneeRole', roleOptions)}
      ${select('mode', 'console.admin.mode', [
        ['any', 'any'],
        ['all', 'all'],
        ['quorum', 'quorum'],
      ])}
      ${text('quorum', 'console.admin.quorum')} ${text('sla', 'console.admin.sla')}
      ${text('escalateAfter', 'console.admin.escalateAfter')}
      ${select('escalateTo', 'console.admin.escalateTo', roleOptions)}
      ${s.moreEscalation ? html`<input type="hidden" name="steps.${i}.moreEscalation" value="${s.moreEscalation}" />` : ''}
      ${s.public ? html`<input type="hidden" name="steps.${i}.public" value="${s.public}" />` : ''}
    </fieldset>`;
  });
  const edit = view.edit;
  return html`<p class="crumbs"><span class="code">${project.code}</span></p>
    <h1>${project.title}</h1>
    <section aria-labelledby="edit">
      <h2 id="edit">${t.t('console.admin.editProject')}</h2>
      <form method="post" action="${base}" class="stack">
        ${hidden(frame, edit.key)} ${control(t, edit, 'title', 'console.title', 'text')}
        ${control(t, edit, 'location', 'console.admin.location', 'text')}
        ${control(t, edit, 'lat', 'console.admin.lat', 'text')}
        ${control(t, edit, 'lon', 'console.admin.lon', 'text')}
        ${control(t, edit, 'contractAmount', 'console.admin.contractAmount', 'number')}
        ${control(t, edit, 'startDate', 'console.admin.startDate', 'date')}
        ${control(t, edit, 'endDate', 'console.admin.endDate', 'date')}
        ${control(t, edit, 'status', 'console.report.status', {
          options: PROJECT_STATUSES.map((st) => [st, t.t(`status.${st}` as MessageKey)] as const),
        })}
        <p><button type="submit">${t.t('console.admin.saveProject')}</button></p>
      </form>
    </section>
    <section aria-labelledby="members">
      <h2 id="members">${t.t('console.project.members')}</h2>
      <ul>
        ${view.members.map(
          (m) =>
            html`<li>
              ${m.name} — ${t.t(`console.role.${m.role}` as MessageKey)}
              <form method="post" action="${base}/members/${m.userId}/remove" class="inline">
                ${hidden(frame, form.key)}
                <button type="submit" class="reject" aria-label="${t.t('console.admin.remove')}: ${m.name}">
                  ${t.t('console.admin.remove')}
                </button>
              </form>
            </li>`,
        )}
      </ul>
      <form method="post" action="${base}/members" class="stack">
        ${hidden(frame, form.key)}
        ${control(t, form, 'userId', 'console.admin.person', {
          options: view.people.map((p) => [p.id, p.name] as const),
        })}
        ${control(t, form, 'role', 'console.admin.role', { options: roleOptions })}
        <p><button type="submit">${t.t('console.admin.addMember')}</button></p>
      </form>
    </section>
    <section aria-labelledby="line">
      <h2 id="line">${t.t('console.admin.lineEditor')}</h2>
      <form method="get" class="stack">
        <p>
          <label for="lineKind">${t.t('console.kind')}</label>
          <select id="lineKind" name="kind">
            ${line.kinds.map((k) => option(k, t.kind(k), k === line.kind))}
          </select>
        </p>
        <p><button type="submit">${t.t('console.chooseKind')}</button></p>
      </form>
      <form method="post" action="${base}/lines/${line.kind}" class="stack line-editor">
        ${hidden(frame, form.key)}
        <p class="hint">${t.t('console.admin.lineHint')}</p>
        ${form.errors.steps ? html`<p class="error" role="alert">${form.errors.steps}</p>` : ''} ${rows}
        <p><button type="submit">${t.t('console.admin.saveLine')}</button></p>
      </form>
    </section>`;
}

export interface AuditView {
  readonly filter: Readonly<Record<string, string>>;
  readonly projects: ReadonlyArray<{ readonly id: string; readonly code: string; readonly title: string }>;
  readonly people: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly events: ReadonlyArray<{
    readonly at: string;
    readonly actor: string;
    readonly action: string;
    readonly subject: string;
    readonly requestId: string | null;
  }>;
  readonly errors: Readonly<Record<string, string>>;
}

export function auditPage(frame: Frame, view: AuditView): Html {
  const { t } = frame;
  const form: AdminForm = { values: view.filter, errors: view.errors, key: '' };
  return html`<h1>${t.t('console.audit.heading')}</h1>
    <form method="get" action="/console/audit" class="filters" role="search">
      <fieldset>
        <legend>${t.t('console.filter.legend')}</legend>
        ${control(t, form, 'projectId', 'console.filter.project', {
          options: [
            ['', t.t('console.filter.any')],
            ...view.projects.map((p) => [p.id, `${p.code} — ${p.title}`] as const),
          ],
        })}
        ${control(t, form, 'actorUserId', 'console.audit.actor', {
          options: [['', t.t('console.filter.any')], ...view.people.map((p) => [p.id, p.name] as const)],
        })}
        ${control(t, form, 'action', 'console.audit.action', 'text')}
        ${control(t, form, 'from', 'console.audit.from', 'date')}
        ${control(t, form, 'to', 'console.audit.to', 'date')}
        <p><button type="submit">${t.t('console.audit.search')}</button></p>
      </fieldset>
    </form>
    ${
      view.events.length === 0
        ? html`<p>${t.t('console.none')}</p>`
        : html`<ol class="history">
            ${view.events.map(
              (e) =>
                html`<li>
                  <time datetime="${e.at}">${t.dateTime(e.at)}</time> — <code>${e.action}</code> — ${e.actor}
                  — ${e.subject}${e.requestId ? html` <small>(${e.requestId})</small>` : ''}
                </li>`,
            )}
          </ol>`
    }`;
}
