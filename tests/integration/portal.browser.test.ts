/**
 * The portal in a real browser: Chromium (as tests/support/chromium.ts resolves it) driven by
 * playwright-core. Search, open a project, see its disclosed steps,
 * verify a record in the browser, switch to Arabic, no console errors, and axe-core finds no
 * serious accessibility violation. Screenshots go to tests/artifacts/screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApi, type ExtraApi } from '../support/api';
import { resolveChromium } from '../support/chromium';
import { apiUrl, http } from '../support/http';
import { closeDb } from '../support/db';
import { castProject, type Cast } from '../support/scenario';

const SHOTS = join(__dirname, '../artifacts/screenshots');

let cast: Cast;
/** The tunisia profile over the same data: French and Arabic. */
let tunis: ExtraApi;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  cast = await castProject();
  const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'material_approval', title: 'Weathering steel for the deck' },
  });
  for (const user of [cast.supervisor, cast.officer]) {
    await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
      token: user.token,
      body: { action: 'approve' },
    });
  }
  tunis = await startApi({ OPENCCS_PROFILE: 'tunisia', LOG_LEVEL: 'fatal' });
  const { executablePath, args } = resolveChromium();
  browser = await chromium.launch({
    executablePath,
    args: [...args, '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // axe needs a page of an explicit context.
  page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${String(e)}`));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await tunis?.app.close();
  await closeDb();
});

async function noSeriousViolations(name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ page: name, serious: serious.map((v) => `${v.id}: ${v.help}`) }).toEqual({
    page: name,
    serious: [],
  });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

it('finds the project by its title from the home page, and shows its code and disclosed steps', async () => {
  await page.goto(`${apiUrl()}/?lang=en`);
  await noSeriousViolations('home');
  await page.fill('#q', cast.project.title);
  await Promise.all([page.waitForNavigation(), page.click('form[role="search"] button[type="submit"]')]);
  await page.click(`a[href^="/projects/${cast.project.code}"]`);
  await page.waitForURL(`**/projects/${cast.project.code}**`);
  const text = await page.textContent('main');
  expect(text).toContain(cast.project.code);
  expect(text).toContain('Supervisor review');
  expect(text).toContain('Agency officer approval');
  await noSeriousViolations('project');
});

it('verifies a record in the browser against the signed log head', async () => {
  await page.click('ol.timeline a');
  await page.waitForURL('**/records/**');
  await page.click('#verify');
  await page.waitForFunction(() => document.getElementById('verify-result')?.dataset.verified !== undefined);
  expect(await page.$eval('#verify-result', (e) => (e as HTMLElement).dataset.verified)).toBe('true');
  await noSeriousViolations('record');
});

it('switches to Arabic, right to left, with the visible language switch (the Tunisian site)', async () => {
  await page.goto(`${tunis.base}${new URL(page.url()).pathname}`);
  await page.click('a[hreflang="ar"]');
  await page.waitForURL('**lang=ar**');
  expect(await page.$eval('html', (e) => [e.lang, e.dir])).toEqual(['ar', 'rtl']);
  await noSeriousViolations('record-ar');
  await page.goto(`${apiUrl()}/verify?lang=ko`);
  expect(await page.$eval('html', (e) => [e.lang, e.dir])).toEqual(['ko', 'ltr']);
  await noSeriousViolations('verify-ko');
});

it('logged no script error in the console on any page', () => {
  expect(consoleErrors).toEqual([]);
});
