/**
 * Issue 12's "must show", as a newcomer runs it: `OPENCCS_PROFILE=tunisia npm start` gives a
 * Tunisian demo (portal in French, Arabic right to left, amounts in TND, Tunisian kind names), the
 * profile's public part is published, and a broken profile stops start-up naming the file and
 * the field.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from '../support/http';
import { demoStack, launch, launcherEnv, waitFor } from '../support/launcher';

const ROOT = join(__dirname, '../..');

describe('OPENCCS_PROFILE=tunisia npm start', () => {
  const stack = demoStack('openccs-tunisia-', { OPENCCS_PROFILE: 'tunisia' });
  const login = stack.login;
  let base = '';
  beforeAll(() => {
    base = stack.base;
  });

  it('gives a Tunisian demo: a portal in French by default, Arabic right to left, amounts in dinars', async () => {
    const home = await http('GET', '/', { base, headers: { 'accept-language': '*' } });
    expect(home.text).toContain('<html lang="fr" dir="ltr">');
    const project = await http('GET', '/projects/SFAX-2026-014', { base });
    expect(project.text).toContain('Réaménagement de l&#39;avenue Habib Bourguiba');
    expect(project.text).toMatch(/6\s845\s320,500\sTND/);
    const ar = await http('GET', '/projects/SFAX-2026-014?lang=ar', { base });
    expect(ar.text).toContain('<html lang="ar" dir="rtl">');
    for (const lang of ['fr', 'ar', 'en']) expect(ar.text).toContain(`hreflang="${lang}"`);
  });

  it('runs the Tunisian kinds: a décompte provisoire through its line, named in French and Arabic on the portal', async () => {
    const contractor = await login('demo.contractor');
    const projects = await http<{ items: Array<{ id: string; code: string; deadlineBasis: string }> }>(
      'GET',
      '/api/v1/projects',
      { base, token: contractor },
    );
    const project = projects.body.items.find((p) => p.code === 'SFAX-2026-014');
    expect(project?.deadlineBasis).toBe('working');
    const submit = (body: Record<string, unknown>) =>
      http<{ id: string; steps: Array<{ key: string; dueAt: string }>; errors?: Array<{ field: string }> }>(
        'POST',
        `/api/v1/projects/${project?.id}/reports`,
        { base, token: contractor, body },
      );
    const incomplete = await submit({
      kind: 'decompte_provisoire',
      title: 'Décompte provisoire n° 3',
      amount: { value: 412_500.25, currency: 'TND' },
      body: { numeroDecompte: 3, iban: 'TN59…' },
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.iban', 'body.periodeDebut', 'body.netAPayer']),
    );
    const decompte = await submit({
      kind: 'decompte_provisoire',
      title: 'Décompte provisoire n° 3',
      publicSummary: 'Travaux de chaussée et de collecteur, octobre 2026.',
      amount: { value: 412_500.25, currency: 'TND' },
      body: {
        numeroDecompte: 3,
        periodeDebut: '2026-10-01',
        periodeFin: '2026-10-31',
        montantTravauxCumules: 1_875_300,
        retenueGarantie: 18_753,
        netAPayer: 412_500.25,
        avancementPhysique: 27.4,
      },
    });
    expect(decompte.status).toBe(201);
    expect(decompte.body.steps.map((s) => s.key)).toEqual([
      'verification_maitre_oeuvre',
      'liquidation',
      'ordonnancement',
    ]);
    // Five working days of 9 hours: more than a calendar week away.
    const first = decompte.body.steps[0];
    expect(Date.parse(first?.dueAt ?? '') - Date.now()).toBeGreaterThan(6 * 86_400_000);
    const supervisor = await login('demo.supervisor');
    const approved = await http('POST', `/api/v1/reports/${decompte.body.id}/decisions`, {
      base,
      token: supervisor,
      body: { action: 'approve', comment: 'Attachements vérifiés.' },
    });
    expect(approved.status).toBe(200);
    await waitFor(
      'the record on the portal',
      async () =>
        (await http('GET', '/projects/SFAX-2026-014', { base })).text.includes('Décompte provisoire'),
      10_000,
    );
    expect((await http('GET', '/projects/SFAX-2026-014?lang=ar', { base })).text).toContain('الحساب الوقتي');
    const records = await http<{
      items: Array<{ report?: { body: Record<string, unknown>; meaning: { amount: string } } }>;
    }>('GET', '/public/v1/projects/SFAX-2026-014/records', { base });
    // The project's sheets come first; the décompte's step records after them.
    const step = records.body.items.find((r) => r.report);
    expect(step?.report?.body).toEqual({
      numeroDecompte: 3,
      periodeDebut: '2026-10-01',
      periodeFin: '2026-10-31',
      montantTravauxCumules: 1_875_300,
      netAPayer: 412_500.25,
      avancementPhysique: 27.4,
    });
    expect(step?.report?.meaning.amount).toBe('payment');
  });

  it('publishes the profile: the kinds with their public fields, French and Arabic, TND', async () => {
    const res = await http<{
      languages: string[];
      currency: string;
      kinds: Array<{ key: string; names: Record<string, string>; publicFields: string[] }>;
    }>('GET', '/public/v1/profile', { base });
    expect(res.body).toMatchObject({ languages: ['fr', 'ar'], currency: 'TND' });
    expect(res.body.kinds.map((k) => k.key)).toEqual(
      expect.arrayContaining([
        'avenant',
        'decompte_provisoire',
        'decompte_definitif',
        'reception',
        'rapport_avancement',
      ]),
    );
    expect(res.body.kinds.find((k) => k.key === 'avenant')).toMatchObject({
      names: { fr: 'Avenant', ar: 'ملحق الصفقة' },
      publicFields: expect.arrayContaining(['numeroAvenant', 'motif', 'justification']),
    });
  });
});

describe('a broken profile', () => {
  it('stops npm start before anything runs, naming the file and the field', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openccs-broken-'));
    const profile = join(dataDir, 'my-profile');
    cpSync(join(ROOT, 'profiles', 'tunisia'), profile, { recursive: true });
    const avenant = join(profile, 'kinds/avenant.yaml');
    writeFileSync(
      avenant,
      readFileSync(avenant, 'utf8').replace('amount: contract_change', 'amount: sometimes'),
    );
    try {
      const { env, base } = await launcherEnv(dataDir);
      const started = await launch({ ...env, OPENCCS_PROFILE: profile }, base, false);
      expect(await started.exited).toBe(1);
      expect(started.output()).toMatch(
        /kinds\/avenant\.yaml: amount: must be one of contract_change, payment, none/,
      );
      expect(started.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
