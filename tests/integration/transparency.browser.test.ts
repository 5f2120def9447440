/**
 * The transparency pages in Chromium: the map works with its tiles unreachable (the test stack's
 * MAP_TILES_URL points at a closed port) — the projects are on it and in the list, and the page
 * says why the background is missing — and without script (the list alone); the charts, the
 * agencies and the flags pages pass axe without a serious or critical violation, in Korean and
 * in Arabic (the tunisia profile, right to left).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApi, type ExtraApi } from '../support/api';
import { resolveChromium } from '../support/chromium';
import { closeDb } from '../support/db';
import { asAdmin } from '../support/factories';
import { apiUrl, http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';

const SHOTS = join(__dirname, '../artifacts/screenshots');

let cast: Cast;
let tunis: ExtraApi;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  cast = await castProject();
  await http('PATCH', `/api/v1/projects/${cast.project.id}`, {
    token: await asAdmin(),
    body: {
      startDate: '2026-01-01',
      endDate: '2027-06-30',
      location: { address: 'Jongno-gu, Seoul', lat: 37.5696, lon: 126.9784 },
    },
  });
  const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: {
      kind: 'progress_report',
      title: 'May progress',
      body: { physicalProgress: 40, period: '2026-05' },
    },
  });
  for (const user of [cast.supervisor, cast.officer, cast.head])
    await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
      token: user.token,
      body: { action: 'approve' },
    });
  tunis = await startApi({ OPENCCS_PROFILE: 'tunisia', LOG_LEVEL: 'fatal' });
  const { executablePath, args } = resolveChromium();
  browser = await chromium.launch({
    executablePath,
    args: [...args, '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await tunis?.app.close();
  await closeDb();
});

async function noSeriousViolations(name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ page: name, serious: serious.map((v) => `${v.id}: ${v.nodes[0]?.target}`) }).toEqual({
    page: name,
    serious: [],
  });
}

it('shows the projects on the map and in the list with the tiles unreachable, and says so', async () => {
  await page.goto(`${apiUrl()}/map?lang=en`);
  await expect(page.getByRole('link', { name: cast.project.title }).first().isVisible()).resolves.toBe(true);
  await page.locator('#map').waitFor({ state: 'visible' });
  // Leaflet draws each project as a vector marker: no tile is needed to see it.
  await page.waitForFunction(() => document.querySelectorAll('#map path.leaflet-interactive').length > 0);
  await page.getByText('The map background could not be loaded').waitFor();
  await page.screenshot({ path: join(SHOTS, 'map-without-tiles.png'), fullPage: true });
  await page.locator('#map path.leaflet-interactive').first().click();
  await page.locator('.leaflet-popup a').first().waitFor();
  // Leaflet fades the popup in: check its contrast once it is opaque.
  await page.waitForFunction(() => {
    const popup = document.querySelector('.leaflet-popup');
    return popup !== null && getComputedStyle(popup).opacity === '1';
  });
  // The only errors are the tiles that could not be fetched.
  expect(consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  await noSeriousViolations('map');
});

it('lists the projects without script', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${apiUrl()}/map?lang=en`);
  await expect(plain.getByRole('link', { name: cast.project.title }).first().isVisible()).resolves.toBe(true);
  await expect(plain.locator('#map').isVisible()).resolves.toBe(false);
  await context.close();
});

it('draws the progress chart and keeps the agencies and flags pages accessible, in Korean and in Arabic', async () => {
  await page.goto(`${apiUrl()}/projects/${cast.project.code}?lang=ko`);
  await expect(page.locator('svg.chart').first().getAttribute('role')).resolves.toBe('img');
  await page.screenshot({ path: join(SHOTS, 'project-charts-ko.png'), fullPage: true });
  await noSeriousViolations('project charts (ko)');
  await page.goto(`${apiUrl()}/agencies?lang=ko`);
  await page.getByRole('link', { name: cast.agency.name }).click();
  await page.getByRole('heading', { name: cast.agency.name }).waitFor();
  await noSeriousViolations('agency (ko)');
  await page.goto(`${apiUrl()}/flags?lang=en`);
  await page.getByRole('heading', { name: 'Red flags', level: 1 }).waitFor();
  await noSeriousViolations('flags (en)');
  await page.goto(`${tunis.base}/projects/${cast.project.code}?lang=ar`);
  await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
  await expect(page.locator('svg.chart').first().getAttribute('direction')).resolves.toBe('rtl');
  await page.screenshot({ path: join(SHOTS, 'project-charts-ar.png'), fullPage: true });
  await noSeriousViolations('project charts (ar)');
  await page.goto(`${tunis.base}/agencies?lang=ar`);
  await noSeriousViolations('agencies (ar)');
});
