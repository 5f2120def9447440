/**
 * The feedback loop in Chromium, as issue 16 shows it: a citizen sends a safety complaint from
 * the project's portal page in Korean (the page solves the proof-of-work challenge itself) and
 * gets a tracking code; the project's agency officer sees it in the console inbox, answers it and
 * publishes it; the question and answer appear on the project page and the tracking page says
 * where it stands — with no trace of the contact. The same form without script sends nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { resolveChromium } from '../support/chromium';
import { closeDb, db } from '../support/db';
import { USER_PASSWORD, type User } from '../support/factories';
import { apiUrl } from '../support/http';
import { castProject, type Cast } from '../support/scenario';

const SHOTS = join(__dirname, '../artifacts/screenshots');
const CONTACT = '010-4321-8765';
const MESSAGE = '북쪽 비계가 바람에 흔들립니다. 보행자가 위험합니다.';

let cast: Cast;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  cast = await castProject();
  const { executablePath, args } = resolveChromium();
  browser = await chromium.launch({
    executablePath,
    args: [...args, '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await closeDb();
});

async function signIn(user: Pick<User, 'username'>): Promise<void> {
  await page.goto(`${apiUrl()}/console?lang=en`);
  await page.waitForURL('**/console/login**');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

let trackingCode: string;

it('takes a safety complaint from the Korean portal page, solving the challenge in the page', async () => {
  await page.goto(`${apiUrl()}/projects/${cast.project.code}?lang=ko`);
  await page.getByLabel('분류').selectOption('safety');
  await page.getByLabel('메시지').fill(MESSAGE);
  await page.getByLabel('연락처 (선택)').fill(CONTACT);
  await page.getByRole('button', { name: '보내기' }).click();
  await page.getByRole('heading', { name: '접수되었습니다' }).waitFor();
  trackingCode = (await page.locator('#tracking-code').textContent()) ?? '';
  expect(trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await page.screenshot({ path: join(SHOTS, 'feedback-received-ko.png'), fullPage: true });
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
  ).toEqual([]);
});

it('sends nothing without script, and says why', async () => {
  const before = (await db().query<{ n: string }>('SELECT count(*) AS n FROM feedback')).rows[0]?.n;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${apiUrl()}/projects/${cast.project.code}?lang=en`);
  await plain.getByLabel('Message').fill('Sent without script.');
  await plain.getByRole('button', { name: 'Send' }).click();
  await plain.getByRole('alert').waitFor();
  expect(await plain.getByRole('alert').textContent()).toContain('needs JavaScript');
  await context.close();
  expect((await db().query<{ n: string }>('SELECT count(*) AS n FROM feedback')).rows[0]?.n).toBe(before);
});

it('reaches the agency officer’s console inbox, who answers and publishes it', async () => {
  await signIn(cast.officer);
  const link = page.getByRole('link', { name: MESSAGE.slice(0, 20) });
  await link.first().waitFor();
  await link.first().click();
  await page.getByText(CONTACT).waitFor();
  await page.getByLabel('Answer').fill('비계를 다시 고정하고 감리가 점검했습니다.');
  await page.getByRole('button', { name: 'Send the answer' }).click();
  await page.getByRole('status').filter({ hasText: 'Done' }).waitFor();
  await page.getByLabel('Moderation').selectOption('publish');
  await page.getByLabel('Reason').fill('안전 관련 질문과 답변');
  await page.getByRole('button', { name: 'Moderate' }).click();
  await page.getByRole('status').filter({ hasText: 'Done' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'feedback-console.png'), fullPage: true });
});

it('shows the question and answer on the project page and where it stands, never the contact', async () => {
  // A fresh visitor: the page seen before the answer may sit in this browser's cache (max-age 15 s).
  page = await (await browser.newContext()).newPage();
  await page.goto(`${apiUrl()}/projects/${cast.project.code}?lang=ko`);
  await page.getByText('비계를 다시 고정하고 감리가 점검했습니다.').waitFor();
  expect(await page.content()).not.toContain(CONTACT);
  await page.goto(`${apiUrl()}/feedback/${trackingCode}?lang=ko`);
  await page.getByText('종결').waitFor();
  expect(await page.content()).not.toContain(CONTACT);
});
