/**
 * The staff console in a real browser (Chromium via playwright-core), driven by role and
 * accessible name as a person would, with scripts switched off: signing in, the inbox, deciding
 * with a comment, a refusal shown with its reason, a form sent twice doing its work once, CSRF
 * refused, sign-out and deactivation ending the session. axe checks every page in English and
 * Arabic at desktop and phone widths (in a context with scripts, which axe needs).
 * Screenshots go to tests/artifacts/screenshots.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApi, type ExtraApi } from '../support/api';
import { resolveChromium } from '../support/chromium';
import { closeDb } from '../support/db';
import { asAdmin, USER_PASSWORD, type User } from '../support/factories';
import { apiUrl, http } from '../support/http';
import { pdf } from '../support/evidence';
import { escalatingLine } from '../support/escalation-scenario';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';

const SHOTS = join(__dirname, '../artifacts/screenshots');
const TUNIS_MAX_UPLOAD = 1_000_000;
const tunisFiles = mkdtempSync(join(tmpdir(), 'openccs-console-files-'));

let cast: Cast;
/** The tunisia profile over the same data: French and Arabic. */
let tunis: ExtraApi;
let browser: Browser;
const pageErrors: string[] = [];

interface ReportState {
  id: string;
  status: string;
  version: number;
  currentStep: string | null;
  decisions: Array<{ action: string; comment: string | null; actorId: string }>;
}

async function submit(title: string): Promise<ReportState> {
  const res = await http<ReportState>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'material_approval', title },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function reportOf(id: string): Promise<ReportState> {
  return (await http<ReportState>('GET', `/api/v1/reports/${id}`, { token: cast.contractor.token })).body;
}

/** A browser context without scripts: every console action must work as plain HTML. */
async function noScriptContext(width = 1280): Promise<BrowserContext> {
  // The browser asks for English, as the contract's control names are English.
  return browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 900 }, locale: 'en-US' });
}

function watch(page: Page): Page {
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    // A refused form answers with its 4xx status and a page; that is the design, not an error.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()))
      pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${String(e)}`));
  return page;
}

async function signIn(
  page: Page,
  user: Pick<User, 'username'>,
  path = '/console',
  password = USER_PASSWORD,
): Promise<void> {
  await page.goto(`${apiUrl()}${path}`);
  await page.waitForURL('**/console/login**');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  cast = await castProject();
  // The Tunisian site also takes small uploads only, to see an oversized one refused.
  tunis = await startApi({
    OPENCCS_PROFILE: 'tunisia',
    LOG_LEVEL: 'fatal',
    MAX_UPLOAD_BYTES: String(TUNIS_MAX_UPLOAD),
    FILE_DIR: tunisFiles,
  });
  const { executablePath, args } = resolveChromium();
  browser = await chromium.launch({
    executablePath,
    args: [...args, '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await tunis?.app.close();
  await closeDb();
});

it('signs a supervisor in, lists the step in the inbox, and records an approval with its comment', async () => {
  const report = await submit('Weathering steel for the deck, console');
  const page = watch(await (await noScriptContext()).newPage());
  await signIn(page, cast.supervisor);

  await expect(page.getByRole('heading', { name: 'Inbox', level: 1 }).count()).resolves.toBe(1);
  await page.getByRole('link', { name: 'Weathering steel for the deck, console' }).click();
  await page.waitForURL(`**/console/reports/${report.id}`);
  await page.getByLabel('Comment').fill('Mill certificates checked against the spec.');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(`**/console/reports/${report.id}?done=1`);

  expect(await page.getByRole('status').first().textContent()).toContain('Done');
  // The step is decided: no decision is offered any more.
  expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  const after = await reportOf(report.id);
  expect(after.decisions).toEqual([
    expect.objectContaining({
      action: 'approve',
      actorId: cast.supervisor.id,
      comment: 'Mill certificates checked against the spec.',
    }),
  ]);
  expect(await page.textContent('main')).toContain('Mill certificates checked against the spec.');
  await page.context().close();
});

it('carries a design change with a drawing through its whole line, returned once, without a script', async () => {
  const context = await noScriptContext(360);
  const page = watch(await context.newPage());
  const drawing = join(SHOTS, 'A-102.pdf');
  writeFileSync(drawing, pdf('A-102 abutment widening'));

  // The contractor: from the project page to a new report, the kind's fields from its schema.
  await signIn(page, cast.contractor, `/console/projects/${cast.project.id}`);
  await page.getByRole('link', { name: 'New report' }).click();
  await page.getByLabel('Kind').selectOption('design_change');
  await page.getByRole('button', { name: 'Show its fields' }).click();
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Widen abutment A2');
  await page.getByLabel('Type of change').fill('Structural');
  await page.getByLabel('Reason').fill('Scour found in the survey.');
  // A contract change of zero passes the page's hints but not the rule: refused inline, nothing
  // created, the drawing kept for the next attempt.
  await page.getByLabel('Attachments', { exact: true }).setInputFiles(drawing);
  await page.getByRole('spinbutton', { name: 'Amount', exact: true }).fill('0');
  const before = (
    await http<{ items: unknown[] }>('GET', `/api/v1/projects/${cast.project.id}/reports?limit=200`, {
      token: cast.contractor.token,
    })
  ).body.items.length;
  await page.getByRole('button', { name: 'Submit' }).click();
  expect(await page.getByRole('alert').textContent()).toContain('amount');
  expect(await page.locator('#amount-error').count()).toBe(1);
  expect(await page.textContent('main')).toContain('A-102.pdf');
  const after = (
    await http<{ items: unknown[] }>('GET', `/api/v1/projects/${cast.project.id}/reports?limit=200`, {
      token: cast.contractor.token,
    })
  ).body.items.length;
  expect(after).toBe(before);
  await page.getByLabel('Amount').fill('125000000');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/\/console\/reports\/[0-9a-f-]+\?done=1$/);
  const reportId = new URL(page.url()).pathname.split('/').pop() as string;
  expect(await page.textContent('main')).toContain('A-102.pdf');
  await page.screenshot({ path: join(SHOTS, 'console-story-submitted.png'), fullPage: true });

  const decideAs = async (user: User, action: 'Approve' | 'Return', comment?: string) => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, user);
    await page.getByRole('link', { name: 'Widen abutment A2' }).click();
    if (comment) await page.getByLabel('Comment').fill(comment);
    await page.getByRole('button', { name: action }).click();
    await page.waitForURL(`**/console/reports/${reportId}?done=1`);
  };
  await decideAs(cast.supervisor, 'Approve');
  await decideAs(cast.officer, 'Return', 'Add the scour survey report.');

  // The contractor resubmits from the report page, the form filled with the report as it was.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, cast.contractor, `/console/reports/${reportId}`);
  expect(await page.textContent('main')).toContain('Add the scour survey report.');
  expect(await page.getByLabel('Title').inputValue()).toBe('Widen abutment A2');
  await page.getByLabel('Reason').fill('Scour found in the survey; survey report attached.');
  await page.getByRole('button', { name: 'Resubmit' }).click();
  await page.waitForURL(`**/console/reports/${reportId}?done=1`);

  await decideAs(cast.supervisor, 'Approve');
  await decideAs(cast.officer, 'Approve');
  await decideAs(cast.head, 'Approve');
  const done = await reportOf(reportId);
  expect(done).toMatchObject({ status: 'approved', revision: 2 });
  expect(done.decisions.map((d) => d.action)).toEqual(['approve', 'return', 'approve', 'approve', 'approve']);
  await page.screenshot({ path: join(SHOTS, 'console-story-approved.png'), fullPage: true });

  // The portal shows the disclosed steps.
  await page.goto(`${apiUrl()}/projects/${cast.project.code}?lang=en`);
  expect(await page.textContent('main')).toContain('Widen abutment A2');
  await context.close();
});

it('lets the agency head resolve an overdue step on behalf, with a justification', async () => {
  expect((await escalatingLine(cast.project.id, { token: await asAdmin(), sla: 'PT1S' })).status).toBe(200);
  const overdue = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'inspection_request', title: 'Rebar before the pour, overdue' },
  });
  await until('the escalation', async () => {
    const open = await http<{ items: Array<{ reportId: string }> }>('GET', '/api/v1/escalations', {
      token: cast.head.token,
    });
    return open.body.items.some((e) => e.reportId === overdue.body.id) || undefined;
  });
  const context = await noScriptContext();
  const page = watch(await context.newPage());
  await signIn(page, cast.head, '/console/escalations');
  expect(await page.getByRole('heading', { name: 'Escalations', level: 1 }).count()).toBe(1);
  await page.getByRole('link', { name: 'Rebar before the pour, overdue' }).click();
  await page.getByLabel('Justification').fill('Supervisor on leave; inspected by the head in person.');
  await page.getByRole('button', { name: 'Approve on behalf' }).click();
  await page.waitForURL(`**/console/reports/${overdue.body.id}?done=1`);
  expect((await reportOf(overdue.body.id)).status).toBe('approved');
  expect(await page.textContent('main')).toContain('Supervisor on leave');
  await context.close();
});

it('lets an administrator create a user and a membership, and edit a line with errors shown inline', async () => {
  const context = await noScriptContext();
  const page = watch(await context.newPage());
  await signIn(page, { username: 'admin' }, '/console/admin/users', process.env.OPENCCS_TEST_ADMIN_PASSWORD);
  const username = `clerk.${Date.now()}`;
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name').fill('Site clerk');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Organization').selectOption(cast.agency.id);
  await page.getByRole('button', { name: 'Create user' }).click();
  expect(await page.locator('#password-error').textContent()).toContain('at least 12 characters');
  await page.getByLabel('Password', { exact: true }).fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.waitForURL('**/console/admin/users?done=1');
  expect(await page.textContent('main')).toContain(username);

  await page.goto(`${apiUrl()}/console/admin/projects/${cast.project.id}?kind=inspection_request`);
  await page.getByLabel('Person').selectOption({ label: `Site clerk (${username})` });
  await page.getByLabel('Role', { exact: true }).selectOption('observer');
  await page.getByRole('button', { name: 'Add member' }).click();
  await page.waitForURL(`**/console/admin/projects/${cast.project.id}?done=1`);
  expect(await page.textContent('main')).toContain('Site clerk');

  // The project's own fields: an end before its start is named beside the end date.
  await page.getByLabel('Start date').fill('2026-03-02');
  await page.getByLabel('End date').fill('2026-01-31');
  await page.getByRole('button', { name: 'Save project' }).click();
  expect(await page.locator('#endDate-error').textContent()).toContain('before');
  await page.getByLabel('End date').fill('2027-06-30');
  await page.getByLabel('Location').fill('Jongno-gu, Seoul');
  await page.getByRole('button', { name: 'Save project' }).click();
  await page.waitForURL(`**/console/admin/projects/${cast.project.id}?done=1`);
  const edited = await http<{ location: unknown; endDate: string }>(
    'GET',
    `/api/v1/projects/${cast.project.id}`,
    {
      token: cast.contractor.token,
    },
  );
  expect(edited.body).toMatchObject({
    location: { address: 'Jongno-gu, Seoul', lat: null, lon: null },
    endDate: '2027-06-30',
  });

  // The line editor: a deadline that is not a duration is named beside its field, nothing saved.
  await page.goto(`${apiUrl()}/console/admin/projects/${cast.project.id}?kind=inspection_request`);
  const before = await http<{ items: Array<{ reportKind: string; version: number }> }>(
    'GET',
    `/api/v1/projects/${cast.project.id}/approval-lines`,
    { token: cast.contractor.token },
  );
  const version = (k: typeof before) =>
    k.body.items.find((l) => l.reportKind === 'inspection_request')?.version;
  await page.locator('#steps-0-sla').fill('three days');
  await page.getByRole('button', { name: 'Save line' }).click();
  expect(await page.locator('#steps-0-sla-error').textContent()).toContain('ISO 8601 duration');
  const unchanged = await http<{ items: Array<{ reportKind: string; version: number }> }>(
    'GET',
    `/api/v1/projects/${cast.project.id}/approval-lines`,
    { token: cast.contractor.token },
  );
  expect(version(unchanged)).toBe(version(before));
  await page.locator('#steps-0-sla').fill('PT72H');
  await page.getByRole('button', { name: 'Save line' }).click();
  await page.waitForURL(`**/console/admin/projects/${cast.project.id}?kind=inspection_request&done=1`);

  // The audit log shows what was done, searched by project.
  await page.goto(`${apiUrl()}/console/audit?projectId=${cast.project.id}`);
  expect(await page.textContent('main')).toContain('project.member_add');
  // Not an administrator: no administration.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, cast.contractor);
  const denied = await page.goto(`${apiUrl()}/console/admin/users`);
  expect(denied?.status()).toBe(403);
  await context.close();
});

it('with scripts on: uploads with a progress bar, and the inbox shows the new step by itself', async () => {
  const supervisorPage = watch(await (await browser.newContext({ locale: 'en-US' })).newPage());
  await signIn(supervisorPage, cast.supervisor);
  const contractorPage = watch(await (await browser.newContext({ locale: 'en-US' })).newPage());
  await signIn(
    contractorPage,
    cast.contractor,
    `/console/projects/${cast.project.id}/reports/new?kind=inspection_request`,
  );
  const photo = join(SHOTS, 'rebar.pdf');
  writeFileSync(photo, pdf('rebar before the pour'));
  await contractorPage.getByLabel('Title').fill('Rebar of pier 3, with a script');
  await contractorPage.getByLabel('Attachments', { exact: true }).setInputFiles(photo);
  await contractorPage.getByRole('button', { name: 'Submit' }).click();
  await contractorPage.waitForURL(/\/console\/reports\/[0-9a-f-]+\?done=1$/);
  expect(await contractorPage.textContent('main')).toContain('rebar.pdf');
  // No click on the supervisor's side: the inbox polls and reloads itself.
  await supervisorPage
    .getByRole('link', { name: 'Rebar of pier 3, with a script' })
    .waitFor({ timeout: 25_000 });
  await supervisorPage.context().close();
  await contractorPage.context().close();
}, 40_000);

/** Presses Tab until `target` has the focus, as a keyboard user would (never a click). */
async function tabTo(
  page: Page,
  target: (focused: { id: string | null; text: string }) => boolean,
): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    if ((await focused.count()) === 0) continue;
    const seen = { id: await focused.getAttribute('id'), text: ((await focused.textContent()) ?? '').trim() };
    if (target(seen)) return;
  }
  throw new Error('Tab never reached the control');
}

it('lets a supervisor decide in Arabic, on a phone, with the keyboard alone and no script', async () => {
  const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    base: tunis.base,
    token: cast.contractor.token,
    body: {
      kind: 'rapport_avancement',
      title: 'تقرير شهر نوفمبر',
      body: { mois: '2026-11', physicalProgress: 42 },
    },
  });
  expect(report.status).toBe(201);
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 360, height: 800 },
  });
  const page = watch(await context.newPage());
  await page.goto(`${tunis.base}/console/login?lang=ar`);
  expect(await page.$eval('html', (e) => [e.lang, e.dir])).toEqual(['ar', 'rtl']);
  await tabTo(page, (f) => f.id === 'username');
  await page.keyboard.type(cast.supervisor.username);
  await tabTo(page, (f) => f.id === 'password');
  await page.keyboard.type(USER_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${tunis.base}/console`);
  await tabTo(page, (f) => f.text === 'تقرير شهر نوفمبر');
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/console/reports/${report.body.id}`);
  await tabTo(page, (f) => f.id === 'comment');
  await page.keyboard.type('مطابق للجدول الزمني');
  await tabTo(page, (f) => f.text === 'موافقة');
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/console/reports/${report.body.id}?done=1`);
  await page.screenshot({ path: join(SHOTS, 'console-keyboard-ar-360.png'), fullPage: true });
  expect((await reportOf(report.body.id)).decisions).toEqual([
    expect.objectContaining({
      action: 'approve',
      actorId: cast.supervisor.id,
      comment: 'مطابق للجدول الزمني',
    }),
  ]);
  await context.close();
});

it('refuses an oversized file, an unknown kind and a way out of the console, each as a page, keeping nothing', async () => {
  const context = await noScriptContext();
  const page = watch(await context.newPage());
  await page.goto(`${tunis.base}/console/login?lang=en`);
  await page.getByLabel('Username').fill(cast.contractor.username);
  await page.getByLabel('Password').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${tunis.base}/console`);
  await page.goto(`${tunis.base}/console/projects/${cast.project.id}/reports/new`);
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const url = `${tunis.base}/console/projects/${cast.project.id}/reports`;
  const count = async () =>
    (
      await http<{ items: unknown[] }>('GET', `/api/v1/projects/${cast.project.id}/reports?limit=200`, {
        token: cast.contractor.token,
      })
    ).body.items.length;
  const before = await count();
  const oversized = await context.request.post(url, {
    multipart: {
      _csrf: csrf,
      kind: 'rapport_avancement',
      title: 'Too big',
      attachments: {
        name: 'big.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.alloc(TUNIS_MAX_UPLOAD + 1, 0x25),
      },
    },
    maxRedirects: 0,
  });
  expect([oversized.status(), oversized.headers()['content-type']]).toEqual([
    413,
    'text/html; charset=utf-8',
  ]);
  expect(readdirSync(join(tunisFiles, 'staging'))).toEqual([]);
  for (const kind of ['nope', '', 'RAPPORT_AVANCEMENT']) {
    const unknown = await context.request.post(url, {
      multipart: { _csrf: csrf, kind, title: 'Which kind?' },
      maxRedirects: 0,
    });
    expect([kind, unknown.status()]).toEqual([kind, 400]);
    expect(await unknown.text()).toContain('kind must be one of');
  }
  expect(await count()).toBe(before);
  // Addresses the console does not have are pages too; `..` never leads out of it.
  const missing = await context.request.get(`${tunis.base}/console/logout`);
  expect([missing.status(), missing.headers()['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`${tunis.base}/console/login?next=/console/../api/v1/auth/token`);
  await page.getByLabel('Username').fill(cast.contractor.username);
  await page.getByLabel('Password').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${tunis.base}/console`);
  await context.close();
});

it('shows a refusal with its reason when the step moved on meanwhile, and changes nothing', async () => {
  const report = await submit('Anchor bolts, decided twice');
  const page = watch(await (await noScriptContext()).newPage());
  await signIn(page, cast.supervisor, `/console/reports/${report.id}`);
  await page.waitForURL(`**/console/reports/${report.id}`);
  // Someone else decides first, through the JSON API.
  const other = await http('POST', `/api/v1/reports/${report.id}/decisions`, {
    token: cast.supervisor2.token,
    body: { action: 'approve' },
  });
  expect(other.status).toBe(200);
  const before = await reportOf(report.id);

  await page.getByRole('button', { name: 'Reject' }).click();
  const alert = page.getByRole('alert');
  expect(await alert.textContent()).toContain('This step is not yours to decide.');
  expect((await reportOf(report.id)).version).toBe(before.version);
  await page.context().close();
});

it('does the work of a form sent twice once, and refuses a form without the CSRF token', async () => {
  const report = await submit('Expansion joints, sent twice');
  const context = await noScriptContext();
  const page = watch(await context.newPage());
  await signIn(page, cast.supervisor, `/console/reports/${report.id}`);
  await page.waitForURL(`**/console/reports/${report.id}`);
  const form = page.locator(`form[action="/console/reports/${report.id}/decisions"]`);
  const fields = {
    _csrf: await form.locator('input[name="_csrf"]').inputValue(),
    _key: await form.locator('input[name="_key"]').inputValue(),
    comment: 'Joint gaps out of tolerance.',
    action: 'return',
  };
  const url = `${apiUrl()}/console/reports/${report.id}/decisions`;
  const post = (data: Record<string, string>) => context.request.post(url, { form: data, maxRedirects: 0 });

  const withoutToken = await post({ ...fields, _csrf: '' });
  expect(withoutToken.status()).toBe(403);
  const forged = await post({ ...fields, _csrf: 'x'.repeat(43) });
  expect(forged.status()).toBe(403);
  expect((await reportOf(report.id)).decisions).toEqual([]);
  // A form with files is checked before a file is read; a page without files takes none.
  const file = { name: 'x.pdf', mimeType: 'application/pdf', buffer: pdf('forged') };
  const forgedReport = await context.request.post(`${apiUrl()}/console/projects/${cast.project.id}/reports`, {
    multipart: { kind: 'design_change', title: 'Forged', attachments: file },
    maxRedirects: 0,
  });
  expect(forgedReport.status()).toBe(403);
  const smuggled = await context.request.post(url, {
    multipart: { _csrf: fields._csrf, action: 'return', comment: 'smuggled' },
    maxRedirects: 0,
  });
  expect(smuggled.status()).toBe(403);
  expect((await reportOf(report.id)).decisions).toEqual([]);

  const [first, second] = [await post(fields), await post(fields)];
  expect([first.status(), second.status()]).toEqual([303, 303]);
  const after = await reportOf(report.id);
  expect(after.status).toBe('returned');
  expect(after.decisions).toHaveLength(1);
  await context.close();
});

it('ends the session on sign-out and when an administrator deactivates the user', async () => {
  const context = await noScriptContext();
  const page = watch(await context.newPage());
  await signIn(page, cast.officer2);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/console/login');
  await page.goto(`${apiUrl()}/console`);
  await page.waitForURL('**/console/login**');

  await signIn(page, cast.officer2);
  expect(await page.getByRole('heading', { name: 'Inbox' }).count()).toBe(1);
  const off = await http('POST', `/api/v1/users/${cast.officer2.id}/deactivate`, { token: await asAdmin() });
  expect(off.status).toBe(200);
  await page.goto(`${apiUrl()}/console`);
  await page.waitForURL('**/console/login**');
  await context.close();
});

it('keeps a wrong password on the sign-in page with the reason, and sends no one elsewhere', async () => {
  const context = await noScriptContext();
  const page = watch(await context.newPage());
  await page.goto(`${apiUrl()}/console/login?next=https://evil.example/`);
  await page.getByLabel('Username').fill(cast.head.username);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(await page.getByRole('alert').textContent()).toContain('The username or password is wrong.');
  await page.getByLabel('Password').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${apiUrl()}/console`);
  await context.close();
});

describe.each([
  ['en', 1280],
  ['ar', 1280],
  ['en', 360],
  ['ar', 360],
] as const)('in %s at %i px', (lang, width) => {
  it('has no serious or critical accessibility violation on any page', async () => {
    const report = await submit(`Bearing pads, checked in ${lang} at ${width}`);
    // Arabic is a language of the Tunisian profile; English is offered by every site.
    const base = lang === 'ar' ? tunis.base : apiUrl();
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = watch(await context.newPage());
    const check = async (name: string) => {
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect({ page: name, serious: serious.map((v) => `${v.id}: ${v.help}`) }).toEqual({
        page: name,
        serious: [],
      });
      // WCAG 1.4.10: nothing scrolls sideways, down to a 360-px phone.
      expect({ page: name, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({
        page: name,
        width,
      });
      await page.screenshot({ path: join(SHOTS, `console-${name}-${lang}-${width}.png`), fullPage: true });
    };
    await page.goto(`${base}/console/login?lang=${lang}`);
    expect(await page.$eval('html', (e) => [e.lang, e.dir])).toEqual([lang, lang === 'ar' ? 'rtl' : 'ltr']);
    await check('login');
    await page.locator('#username').fill(cast.officer.username);
    await page.locator('#password').fill(USER_PASSWORD);
    await page.locator('form[action="/console/login"] button[type="submit"]').click();
    await page.waitForURL(`${base}/console`);
    // The language chosen on the sign-in page stays.
    expect(await page.$eval('html', (e) => e.lang)).toBe(lang);
    await check('inbox-before');
    await http('POST', `/api/v1/reports/${report.id}/decisions`, {
      token: cast.supervisor.token,
      body: { action: 'approve' },
    });
    await page.goto(`${base}/console`);
    await check('inbox');
    await page.goto(`${base}/console/reports/${report.id}`);
    await check('report');
    await page.goto(`${base}/console/notifications`);
    await check('notifications');
    await page.goto(`${base}/console/escalations`);
    await check('escalations');
    await page.goto(`${base}/console/projects/${cast.project.id}`);
    await check('project');
    // The contractor's pages: a new report with a kind's generated fields.
    await page.locator('form.sign-out button').click();
    await page.locator('#username').fill(cast.contractor.username);
    await page.locator('#password').fill(USER_PASSWORD);
    await page.locator('form[action="/console/login"] button[type="submit"]').click();
    await page.waitForURL(`${base}/console`);
    await page.goto(
      `${base}/console/projects/${cast.project.id}/reports/new?kind=${lang === 'ar' ? 'decompte_provisoire' : 'design_change'}`,
    );
    await check('new-report');
    await context.close();
  });
});

it('logged no script error on any page', () => {
  expect(pageErrors).toEqual([]);
});
