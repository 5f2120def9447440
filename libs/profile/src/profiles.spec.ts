import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDuration } from '@openccs/domain';
import { projectRoot } from '@openccs/config';
import { bodyProblems } from './body-schemas';
import { calendarWarnings, loadProfile, ProfileError, shippedProfiles } from './load';
import { kindOf, publicProfile, type Profile } from './profile';

const H = 3600;
const seoul = loadProfile('seoul');
const tunisia = loadProfile('tunisia');
const working = (p: Profile) => ({ kind: 'working' as const, calendar: p.calendar.calendar });

describe('the shipped profiles', () => {
  it.each(shippedProfiles())(
    '%s loads, with every kind named in every language and a valid default line',
    (name) => {
      const profile = loadProfile(name);
      expect(profile.kinds.length).toBeGreaterThan(0);
      for (const kind of profile.kinds) {
        for (const language of profile.languages)
          expect([kind.key, language, kind.names[language]]).toEqual([
            kind.key,
            language,
            expect.any(String),
          ]);
        expect(new Set(kind.line.map((s) => s.key)).size).toBe(kind.line.length);
        // Money goes up to the ordering agency's head.
        if (kind.amount !== 'none')
          expect([kind.key, kind.line.at(-1)?.assigneeRole]).toEqual([kind.key, 'agency_head']);
        expect(kind.schemaVersion).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(calendarWarnings(profile, new Date('2026-11-30T00:00:00Z'))).toEqual([]);
    },
  );

  it('seoul: the seven kinds of the first stage, Korean and English, won, calendar deadlines by default', () => {
    expect(seoul.kinds.map((k) => k.key).sort()).toEqual(
      [
        'completion_inspection',
        'construction_plan',
        'design_change',
        'inspection_request',
        'material_approval',
        'progress_payment',
        'progress_report',
      ].sort(),
    );
    expect([seoul.languages, seoul.currency, seoul.defaults.deadlineBasis]).toEqual([
      ['ko', 'en'],
      'KRW',
      'calendar',
    ]);
    expect(kindOf(seoul, 'design_change')?.amount).toBe('contract_change');
    expect(kindOf(seoul, 'progress_payment')?.amount).toBe('payment');
    const progress = kindOf(seoul, 'progress_report');
    expect(progress?.progress).toBe(true);
    expect(Object.keys((progress?.body.properties ?? {}) as object)).toEqual(
      expect.arrayContaining(['physicalProgress', 'financialProgress', 'period']),
    );
  });

  it('seoul: the Korean calendar through 2030, with Seollal 2026 on 16–18 February and the 2026 local elections', () => {
    const holidays = seoul.calendar.calendar.holidays;
    expect(seoul.calendar.calendar.coversUntil).toBe('2030-12-31');
    expect(holidays).toEqual(
      expect.arrayContaining(['2026-02-16', '2026-02-17', '2026-02-18', '2026-06-03']),
    );
    expect(holidays).not.toContain('2026-02-19');
    for (const year of [2026, 2027, 2028, 2029, 2030])
      expect(holidays.filter((d) => d.startsWith(`${year}-`)).length).toBeGreaterThan(14);
    // Wednesday 2026-09-23 17:00 KST (08:00Z) + 2 working hours: Chuseok (24–26) is skipped → Monday 09-28 10:00 KST.
    expect(addDuration('2026-09-23T08:00:00.000Z', 2 * H, working(seoul))).toBe('2026-09-28T01:00:00.000Z');
    // Wednesday 2026-06-03 is election day: Tuesday 17:00 KST + 2 h ends Thursday 10:00 KST.
    expect(addDuration('2026-06-02T08:00:00.000Z', 2 * H, working(seoul))).toBe('2026-06-04T01:00:00.000Z');
  });

  it('tunisia: French and Arabic, dinar, working days, the execution documents of a public works contract', () => {
    expect([tunisia.languages, tunisia.currency, tunisia.defaults.deadlineBasis]).toEqual([
      ['fr', 'ar'],
      'TND',
      'working',
    ]);
    expect(kindOf(tunisia, 'decompte_provisoire')).toMatchObject({
      amount: 'payment',
      names: { fr: 'Décompte provisoire', ar: 'الحساب الوقتي' },
    });
    expect(kindOf(tunisia, 'avenant')?.amount).toBe('contract_change');
    expect(kindOf(tunisia, 'reception')?.completion).toBe(true);
    expect(kindOf(tunisia, 'rapport_avancement')?.progress).toBe(true);
    // Thursday 19 (Aïd El Fitr, estimated) and Friday 20 March 2026 (Independence Day) are holidays:
    // Wednesday 16:30 CET + 2 working hours → one on Wednesday, one on Monday 23, 08:30–09:30 CET.
    expect(addDuration('2026-03-18T15:30:00.000Z', 2 * H, working(tunisia))).toBe('2026-03-23T08:30:00.000Z');
  });

  it('checks bodies against their kind’s schema, naming each field', () => {
    const progress = kindOf(seoul, 'progress_report');
    if (!progress) throw new Error('no progress_report');
    expect(bodyProblems(progress, { physicalProgress: 150 })).toEqual([
      { field: 'body.physicalProgress', message: 'body.physicalProgress must be <= 100' },
    ]);
    expect(
      bodyProblems(progress, { physicalProgress: 40, financialProgress: 35, period: '2026-11' }),
    ).toEqual([]);
    const decompte = kindOf(tunisia, 'decompte_provisoire');
    if (!decompte) throw new Error('no decompte_provisoire');
    expect(bodyProblems(decompte, { numeroDecompte: 3, secret: 1 }).map((p) => p.field)).toEqual(
      expect.arrayContaining(['body.secret', 'body.periodeDebut', 'body.netAPayer']),
    );
  });

  it('takes every amount in millimes (multipleOf 0.001 despite binary floating point), and lists an enum’s values', () => {
    const decompte = kindOf(tunisia, 'decompte_provisoire');
    const claim = kindOf(tunisia, 'reclamation');
    if (!decompte || !claim) throw new Error('no decompte_provisoire or reclamation');
    const body = { numeroDecompte: 3, periodeDebut: '2026-10-01', periodeFin: '2026-10-31' };
    for (const amount of [0.35, 2.675, 1.005, 0.119, 1234567.891])
      expect(bodyProblems(decompte, { ...body, montantTravauxCumules: amount, netAPayer: amount })).toEqual(
        [],
      );
    expect(bodyProblems(decompte, { ...body, montantTravauxCumules: 1, netAPayer: 0.0005 })).toEqual([
      { field: 'body.netAPayer', message: 'body.netAPayer must be multiple of 0.001' },
    ]);
    expect(bodyProblems(claim, { objet: 'colère', fondement: 'CCAP art. 12' })).toEqual([
      {
        field: 'body.objet',
        message:
          'body.objet must be one of "decompte", "penalites", "ordre_de_service", "delai", "indemnisation", "autre"',
      },
    ]);
  });

  it('publishes the public part: kinds with their schema and public fields, languages, currency, thresholds', () => {
    const published = publicProfile(tunisia);
    expect(published.kinds.find((k) => k.key === 'avenant')).toMatchObject({
      names: { fr: 'Avenant' },
      amount: 'contract_change',
      publicFields: expect.arrayContaining(['numeroAvenant', 'motif']),
      bodySchema: expect.objectContaining({ type: 'object' }),
    });
    expect(published).toMatchObject({ languages: ['fr', 'ar'], currency: 'TND' });
    expect(published.integrity.contractChange.map((t) => t.share)).toContain(0.1);
    expect(JSON.stringify(published)).not.toMatch(/demo\.|password/);
  });
});

describe('a broken profile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openccs-profile-'));
    cpSync(join(projectRoot(), 'profiles', 'seoul'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const problemsOf = (): string[] => {
    try {
      loadProfile(dir);
    } catch (err) {
      if (err instanceof ProfileError) return [...err.problems];
      throw err;
    }
    return [];
  };
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));

  it('stops with one message per problem, each naming the file and the field', () => {
    edit('kinds/design_change.yaml', (t) => t.replace('amount: contract_change', 'amount: money'));
    edit('kinds/progress_report.yaml', (t) =>
      t.replace('publicFields: [physicalProgress', 'publicFields: [progress'),
    );
    edit('kinds/material_approval.yaml', (t) =>
      t.replace('sla: PT72H', 'sla: P1Y').replace('names: { ko: 자재 승인 요청, ', 'names: { '),
    );
    edit('profile.yaml', (t) => t.replace('currency: KRW', 'currency: won'));
    const problems = problemsOf();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /kinds\/design_change\.yaml: amount: must be one of contract_change, payment, none/,
        ),
        expect.stringMatching(
          /kinds\/progress_report\.yaml: disclosure\.publicFields\[0\]: progress is not a property of body/,
        ),
        expect.stringMatching(/kinds\/material_approval\.yaml: line\[0\]\.sla: /),
        expect.stringMatching(/profile\.yaml: currency: /),
      ]),
    );
  });

  it('names the file and the line of a YAML syntax error', () => {
    edit('calendar.yaml', (t) => t.replace('utcOffsetMinutes: 540', 'utcOffsetMinutes: [540'));
    expect(problemsOf()).toEqual([expect.stringMatching(/calendar\.yaml: .*line \d+/)]);
  });

  it('refuses a kind file named after another key, a holiday outside the coverage, and demo people in unknown organizations', () => {
    edit('kinds/inspection_request.yaml', (t) => t.replace('key: inspection_request', 'key: inspection'));
    edit('calendar.yaml', (t) => t.replace("covers: { from: '2026-01-01'", "covers: { from: '2027-01-01'"));
    edit('demo.yaml', (t) => t.replace('organization: builder', 'organization: nobody'));
    const problems = problemsOf();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/kinds\/inspection_request\.yaml: key: must be the file's name/),
        expect.stringMatching(/calendar\.yaml: holidays\[0\]\.date: 2026-01-01 is outside covers/),
        expect.stringMatching(/demo\.yaml: people\[0\]\.organization: nobody/),
      ]),
    );
  });

  it('says which profiles ship when the name is unknown', () => {
    expect(() => loadProfile('atlantis')).toThrow(/seoul, tunisia/);
  });

  it('warns at start-up when the calendar does not cover the next two years', () => {
    expect(calendarWarnings(seoul, new Date('2029-06-01T00:00:00Z'))).toEqual([
      expect.stringContaining('lists holidays only until 2030-12-31'),
    ]);
  });
});
