/**
 * The public portal over HTTP: server-rendered, in the profile's languages (Korean and English in
 * Seoul, French and Arabic right to left in Tunisia, English everywhere), nothing private.
 */
import { startApi, type ExtraApi } from '../support/api';
import { http } from '../support/http';
import { closeDb, db } from '../support/db';
import { castProject, type Cast } from '../support/scenario';

let cast: Cast;
let firstSeq: number;
/** The same system as Tunis would run it: the tunisia profile over the same data. */
let tunis: ExtraApi;

beforeAll(async () => {
  cast = await castProject();
  const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'material_approval', title: 'Ready-mixed concrete supplier' },
  });
  for (const user of [cast.supervisor, cast.officer]) {
    await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
      token: user.token,
      body: { action: 'approve' },
    });
  }
  const records = await http<{ items: Array<{ seq: number }> }>(
    'GET',
    `/public/v1/projects/${cast.project.code}/records`,
  );
  firstSeq = records.body.items[0]?.seq ?? 0;
  tunis = await startApi({ OPENCCS_PROFILE: 'tunisia', LOG_LEVEL: 'fatal' });
});
afterAll(async () => {
  await tunis?.app.close();
  await closeDb();
});

const page = (path: string, headers: Record<string, string> = {}, base?: string) =>
  http('GET', path, { headers, ...(base ? { base } : {}) });

it('renders the home page on the server and finds the project by its title', async () => {
  const res = await page(`/?q=${encodeURIComponent(cast.project.title)}`, { 'accept-language': 'en' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  expect(res.text).toContain('<html lang="en" dir="ltr">');
  expect(res.text).toContain(`/projects/${cast.project.code}?lang=en`);
  expect(res.text).toMatch(/<label for="q">/);
});

it('speaks the profile’s languages: Korean by default and English in Seoul, by ?lang= or Accept-Language', async () => {
  expect((await page('/')).text).toContain('<html lang="ko" dir="ltr">');
  expect((await page('/', { 'accept-language': 'en-GB,en;q=0.9' })).text).toContain(
    '<html lang="en" dir="ltr">',
  );
  // A language the profile does not offer falls back to its default.
  const fr = await page('/?lang=fr', { 'accept-language': 'fr-TN' });
  expect(fr.text).toContain('<html lang="ko" dir="ltr">');
  for (const lang of ['ko', 'en']) expect(fr.text).toContain(`hreflang="${lang}"`);
  expect(fr.text).not.toContain('hreflang="ar"');
});

it('speaks French by default and Arabic right to left in Tunisia', async () => {
  expect((await page('/', {}, tunis.base)).text).toContain('<html lang="fr" dir="ltr">');
  expect((await page('/', { 'accept-language': 'ar-TN, fr;q=0.5' }, tunis.base)).text).toContain(
    '<html lang="ar" dir="rtl">',
  );
  const ar = await page('/?lang=ar', {}, tunis.base);
  expect(ar.text).toContain('<html lang="ar" dir="rtl">');
  expect(ar.text).toContain('مشاريع الأشغال العمومية');
  // The visible switch links to every language the profile offers, and English.
  for (const lang of ['fr', 'ar', 'en']) expect(ar.text).toContain(`hreflang="${lang}"`);
  expect(ar.text).not.toContain('hreflang="ko"');
});

it('shows a project page with its code, parties, amounts and the disclosed step names', async () => {
  const res = await page(`/projects/${cast.project.code}?lang=ko`);
  expect(res.status).toBe(200);
  expect(res.text).toContain(cast.project.code);
  expect(res.text).toContain('Supervisor review');
  expect(res.text).toContain('Agency officer approval');
  expect(res.text).toContain('₩1,000,000'); // KRW formatted by Intl for Korean
  expect(res.text).toContain('감리'); // role names translated
});

it('shows a record with its log position and inclusion proof, and the in-browser check', async () => {
  const res = await page(`/records/${firstSeq}?lang=fr`, {}, tunis.base);
  expect(res.status).toBe(200);
  expect(res.text).toContain(`Enregistrement public n°`);
  expect(res.text).toContain('id="verify"');
  expect(res.text).toContain('<script type="module" src="/portal/assets/verify.js"></script>');
  const js = await page('/portal/assets/verify.js');
  expect(js.headers.get('content-type')).toContain('text/javascript');
  expect((await page('/portal/assets/portal.css')).headers.get('content-type')).toContain('text/css');
  expect((await page('/portal/assets/nothing.js')).status).toBe(404);
  expect((await page('/favicon.ico')).headers.get('content-type')).toContain('image/svg+xml');
});

it('explains how to verify the whole log, and links the open data', async () => {
  const res = await page('/verify');
  expect(res.text).toContain('npm run verify -- --url');
  for (const href of [
    '/public/v1/export/records.json',
    '/public/v1/export/records.csv',
    '/public/v1/export/oc4ids.json',
    '/public/v1/feed.atom',
  ]) {
    expect(res.text).toContain(`href="${href}"`);
  }
});

it('never shows a person of a private company', async () => {
  const { rows } = await db().query<{ display_name: string }>(
    'SELECT display_name FROM users WHERE id = ANY($1)',
    [[cast.contractor.id, cast.supervisor.id]],
  );
  for (const path of [`/projects/${cast.project.code}`, `/records/${firstSeq}`, `/?q=${cast.project.code}`]) {
    const res = await page(path);
    for (const person of rows) expect(res.text).not.toContain(person.display_name);
  }
});
