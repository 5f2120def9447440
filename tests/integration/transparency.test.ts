/**
 * Transparency depth (issue 15), as a client that knows only the contract would check it: a project
 * with an 8 % and then a 7 % approved design change shows the cumulative-change flag at the 10 %
 * threshold citing both records, and its OC4IDS package has the two modifications with the right
 * old and new values and validates with libcoveoc4ids (offline, vendored schema) without errors
 * or unmeant fields; an approved payment is a transaction; a progress report at 40 % is a metric
 * and on the chart; a later decrease outweighs the flag, which stays listed; the agency's on-time
 * rate equals what the verifier recomputes from the export (`verify --figures`), and a figure the
 * site served differently would be named.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  agencyFigures,
  projectFacts,
  redFlags,
  type DisclosureRecord,
  type RedFlag,
} from '@openccs/disclosure';
import { startApi } from '../support/api';
import { apiUrl, http } from '../support/http';
import { closeDb, db } from '../support/db';
import { asAdmin } from '../support/factories';
import { validateOc4ids } from '../support/oc4ids-validate';
import { castProject, type Cast } from '../support/scenario';

const run = promisify(execFile);
const VERIFIER = join(__dirname, '../../dist/apps/verifier/src/main.js');
const VALUE = 1_000_000_000;

let cast: Cast;
const seqOf: Record<string, number> = {};

/** Submits a report and has every step approved by whoever holds it. */
async function approved(kind: string, body: Record<string, unknown>): Promise<string> {
  const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind, ...body },
  });
  expect(report.status).toBe(201);
  for (let round = 0; round < 6; round++) {
    for (const user of [cast.supervisor, cast.officer, cast.head]) {
      const res = await http<{ status: string }>('POST', `/api/v1/reports/${report.body.id}/decisions`, {
        token: user.token,
        body: { action: 'approve' },
      });
      if (res.status === 200 && res.body.status === 'approved') return report.body.id;
    }
  }
  throw new Error(`${kind} ${report.body.id} was not approved`);
}

/** The seq of the record that approved `reportId` (visible within seconds). */
async function approvingSeq(reportId: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const records = (
      await http<{ items: Array<{ seq: number; report?: { id: string; status: string } }> }>(
        'GET',
        `/public/v1/projects/${cast.project.code}/records?limit=1000`,
      )
    ).body.items;
    const record = records.find((r) => r.report?.id === reportId && r.report.status === 'approved');
    if (record) return record.seq;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no approving record for ${reportId}`);
}

/** The parts of an OC4IDS project this test reads. */
interface Oc4idsProject {
  contractingProcesses: Array<{
    summary: {
      contractValue: unknown;
      modifications: Array<{ type: string }>;
      transactions: unknown[];
      milestones: unknown[];
    };
  }>;
  metrics: unknown[];
  locations: unknown[];
  parties: Array<{ id: string; roles: string[] }>;
}

const flagsOf = async () =>
  (await http<{ items: RedFlag[] }>('GET', `/public/v1/projects/${cast.project.code}/flags`)).body.items;

beforeAll(async () => {
  cast = await castProject();
  const edited = await http('PATCH', `/api/v1/projects/${cast.project.id}`, {
    token: await asAdmin(),
    body: {
      contractAmount: { value: VALUE, currency: 'KRW' },
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      location: { address: 'Jongno-gu, Seoul', lat: 37.5696, lon: 126.9784 },
    },
  });
  expect(edited.status).toBe(200);
  seqOf.first = await approvingSeq(
    await approved('design_change', {
      title: 'Pier 4 piles deepened',
      publicSummary: 'Piles 6 m longer after a boring survey.',
      body: { changeType: 'structural' },
      amount: { value: 80_000_000, currency: 'KRW' },
    }),
  );
  expect((await flagsOf()).filter((f) => f.code === 'CHANGE_SHARE')).toEqual([]);
  seqOf.second = await approvingSeq(
    await approved('design_change', {
      title: 'Deck drainage added',
      publicSummary: 'Drainage the original design left out.',
      body: { changeType: 'scope', durationChangeDays: 30 },
      amount: { value: 70_000_000, currency: 'KRW' },
    }),
  );
  seqOf.payment = await approvingSeq(
    await approved('progress_payment', {
      title: 'Progress payment 1',
      amount: { value: 300_000_000, currency: 'KRW' },
    }),
  );
  seqOf.progress = await approvingSeq(
    await approved('progress_report', {
      title: 'Progress in June',
      body: { physicalProgress: 40, financialProgress: 30, period: '2026-06' },
    }),
  );
}, 120_000);
afterAll(closeDb);

describe('a project with an 8 % and a 7 % approved design change', () => {
  it('raises the cumulative-change flag at the 10 % threshold, citing both records, with its formula and source', async () => {
    const flags = await flagsOf();
    const share = flags.find((f) => f.id === `CHANGE_SHARE:10:${cast.project.code}`);
    expect(share).toMatchObject({
      code: 'CHANGE_SHARE',
      ocp: ['R069'],
      status: 'raised',
      raised: { seq: seqOf.second },
      outweighed: null,
      facts: {
        originalValue: VALUE,
        cumulativeChange: 150_000_000,
        share: 0.15,
        currency: 'KRW',
        changes: 2,
      },
      threshold: { value: 0.1, source: expect.stringContaining('2014/24/EU') },
    });
    expect(share?.records).toEqual(expect.arrayContaining([seqOf.first, seqOf.second]));
    expect(share?.formula).toContain('contract value');
    // Not the 50 % one, and the overview counts it.
    expect(flags.find((f) => f.id === `CHANGE_SHARE:50:${cast.project.code}`)).toBeUndefined();
    const overview = await http<{ flags: unknown; contract: unknown }>(
      'GET',
      `/public/v1/projects/${cast.project.code}`,
    );
    expect(overview.body.flags).toEqual({ raised: 1, outweighed: 0 });
    expect(overview.body.contract).toEqual({
      originalValue: { value: VALUE, currency: 'KRW' },
      currentValue: { value: 1_150_000_000, currency: 'KRW' },
      paid: { value: 300_000_000, currency: 'KRW' },
    });
    // In every list, the feed, and on the portal with "not proof".
    const all = await http<{ items: RedFlag[] }>('GET', `/public/v1/flags?project=${cast.project.code}`);
    expect(all.body.items.map((f) => f.id)).toContain(share?.id);
    const atom = await http('GET', '/public/v1/flags.atom');
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    expect(atom.text).toContain(encodeURIComponent(`CHANGE_SHARE:10:${cast.project.code}`));
    expect(atom.text).toContain('A flag is not proof');
    const page = await http('GET', `/projects/${cast.project.code}?lang=en`);
    expect(page.text).toContain('A flag is not proof');
    expect(page.text).toContain(`/records/${seqOf.second}`);
  });

  it('publishes an OC4IDS package with both modifications, the payment and the progress, valid for libcoveoc4ids', async () => {
    const pkg = await http<{ projects: Oc4idsProject[] }>(
      'GET',
      `/public/v1/projects/${cast.project.code}/oc4ids.json`,
    );
    const project = pkg.body.projects[0] as Oc4idsProject;
    const summary = project.contractingProcesses[0]
      ?.summary as Oc4idsProject['contractingProcesses'][0]['summary'];
    expect(summary.contractValue).toEqual({ amount: VALUE, currency: 'KRW' });
    const values = summary.modifications.filter((m) => m.type === 'value');
    expect(values).toEqual([
      expect.objectContaining({
        type: 'value',
        rationale: 'Piles 6 m longer after a boring survey.',
        oldContractValue: { amount: VALUE, currency: 'KRW' },
        newContractValue: { amount: 1_080_000_000, currency: 'KRW' },
        date: expect.any(String),
      }),
      expect.objectContaining({
        type: 'value',
        rationale: 'Drainage the original design left out.',
        oldContractValue: { amount: 1_080_000_000, currency: 'KRW' },
        newContractValue: { amount: 1_150_000_000, currency: 'KRW' },
      }),
    ]);
    expect(summary.modifications).toContainEqual(
      expect.objectContaining({
        type: 'duration',
        oldContractPeriod: { endDate: '2027-12-31T00:00:00Z' },
        newContractPeriod: { endDate: '2028-01-30T00:00:00Z' },
      }),
    );
    expect(summary.transactions).toEqual([
      expect.objectContaining({
        value: { amount: 300_000_000, currency: 'KRW' },
        payer: { id: cast.agency.id, name: expect.any(String) },
      }),
    ]);
    expect(summary.milestones.length).toBeGreaterThan(0);
    expect(project.metrics).toContainEqual(
      expect.objectContaining({
        id: 'physicalProgress',
        observations: [expect.objectContaining({ measure: 40, unit: { name: 'percent' } })],
      }),
    );
    expect(project.locations).toEqual([
      {
        id: '1',
        description: 'Jongno-gu, Seoul',
        geometry: { type: 'Point', coordinates: [126.9784, 37.5696] },
      },
    ]);
    expect(project.parties.find((p) => p.id === cast.agency.id)?.roles).toEqual(['publicAuthority', 'payer']);
    const report = await validateOc4ids(pkg.body);
    expect(report.validationErrors).toEqual([]);
    expect(report.additionalFields).toEqual([]);
    expect(report.additionalCodelistValues).toEqual({ closed: {}, open: {} });
    // The only remark: the test deployment's identifier prefix is not a registered one.
    expect(
      report.otherChecks.additionalChecks.filter(
        (c: { check_id: string }) => c.check_id !== 'invalid-project-ids',
      ),
    ).toEqual([]);
    const everything = await validateOc4ids((await http('GET', '/public/v1/export/oc4ids.json')).body);
    expect(everything.validationErrors).toEqual([]);
    expect(everything.additionalFields).toEqual([]);
  }, 60_000);

  it('draws the 40 % progress and the payments on the project page, as SVG with a table', async () => {
    const page = await http('GET', `/projects/${cast.project.code}?lang=en`);
    expect(page.text).toContain('<svg class="chart"');
    expect(page.text).toContain('Reported physical progress is 40 %');
    expect(page.text).toContain('Approved payments add up to ₩300,000,000');
    // Arabic (the tunisia profile): time runs from right to left, as the page reads.
    const tunis = await startApi({ OPENCCS_PROFILE: 'tunisia', LOG_LEVEL: 'fatal' });
    try {
      const arabic = await http('GET', `/projects/${cast.project.code}?lang=ar`, { base: tunis.base });
      expect(arabic.text).toContain('dir="rtl"');
      expect(arabic.text).toContain('direction="rtl"');
    } finally {
      await tunis.app.close();
    }
  });

  it('keeps the flag, outweighed, when a decrease brings the changes under the threshold', async () => {
    seqOf.decrease = await approvingSeq(
      await approved('design_change', {
        title: 'Lighter railing',
        publicSummary: 'A cheaper railing of the same class.',
        body: { changeType: 'value engineering' },
        amount: { value: -100_000_000, currency: 'KRW' },
      }),
    );
    const share = (await flagsOf()).find((f) => f.id === `CHANGE_SHARE:10:${cast.project.code}`);
    expect(share).toMatchObject({
      status: 'outweighed',
      raised: { seq: seqOf.second },
      outweighed: { seq: seqOf.decrease },
      facts: { cumulativeChange: 50_000_000, share: 0.05 },
    });
    expect(share?.records).toEqual(expect.arrayContaining([seqOf.first, seqOf.second, seqOf.decrease]));
    const outweighed = await http<{ items: RedFlag[] }>('GET', '/public/v1/flags?status=outweighed');
    expect(outweighed.body.items.map((f) => f.id)).toContain(share?.id);
  });
});

describe('agencies', () => {
  it('serves the on-time rate the export recomputes, and links each figure to its records', async () => {
    const agency = await http<{
      onTime: { rate: number; count: number; of: number; records: number[] };
      steps: { records: number[] };
      projects: string[];
      asOf: { treeSize: number };
    }>('GET', `/public/v1/agencies/${cast.agency.id}`);
    expect(agency.status).toBe(200);
    expect(agency.body.projects).toEqual([cast.project.code]);
    const exported = await http<{ entries: Array<{ record: DisclosureRecord }> }>(
      'GET',
      '/public/v1/export/records.json',
    );
    const records = exported.body.entries.map((e) => e.record).slice(0, agency.body.asOf.treeSize);
    const mine = agencyFigures(projectFacts(records)).find((a) => a.id === cast.agency.id);
    expect(agency.body.onTime.rate).toBe(mine?.onTime.rate);
    expect(agency.body.onTime.records).toEqual(mine?.onTime.records);
    expect(agency.body.steps.records.length).toBeGreaterThanOrEqual(12);
    const page = await http('GET', `/agencies/${cast.agency.id}?lang=en`);
    expect(page.text).toContain(`/agencies/${cast.agency.id}/records?figure=onTime`);
    const list = await http('GET', `/agencies/${cast.agency.id}/records?figure=onTime&lang=en`);
    for (const seq of agency.body.onTime.records) expect(list.text).toContain(`/records/${seq}?lang=en`);
    expect((await http('GET', '/agencies?lang=ko')).text).toContain(`/agencies/${cast.agency.id}`);
    const unknown = await http('GET', '/public/v1/agencies/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect((await http('GET', '/public/v1/agencies/nope')).status).toBe(400);
  });

  it('recomputes every figure and flag from the export (verify --figures) and names a figure served differently', async () => {
    const ok = await run('node', [VERIFIER, '--url', apiUrl(), '--figures']);
    expect(ok.stdout).toMatch(/figures match: \d+ project overviews, \d+ agencies, \d+ red flags/);
    // The same computation from the export, with the thresholds the profile publishes.
    const profile = await http<{ integrity: Parameters<typeof redFlags>[2] }>('GET', '/public/v1/profile');
    const exported = await http<{ entries: Array<{ record: DisclosureRecord }> }>(
      'GET',
      '/public/v1/export/records.json',
    );
    const projects = projectFacts(exported.body.entries.map((e) => e.record));
    const flags = redFlags(projects, agencyFigures(projects), profile.body.integrity);
    expect(flags.map((f) => f.id)).toContain(`CHANGE_SHARE:10:${cast.project.code}`);
  });
});

describe('locations', () => {
  it('takes {address, lat, lon} or an address, refuses coordinates off the globe or half given, and publishes the sheet', async () => {
    const admin = await asAdmin();
    const before = (await db().query<{ n: string }>('SELECT count(*) AS n FROM disclosure_records')).rows[0]
      ?.n;
    for (const [location, field] of [
      [{ lat: 91, lon: 0 }, 'location.lat'],
      [{ lat: 37.5 }, 'location.lat'],
      [{ lon: 500, lat: 1 }, 'location.lon'],
      [42, 'location'],
      [{ address: 'x', extra: 1 }, 'location.extra'],
    ] as const) {
      const res = await http<{ errors: Array<{ field: string }> }>(
        'PATCH',
        `/api/v1/projects/${cast.project.id}`,
        {
          token: admin,
          body: { location },
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e) => e.field)).toContain(field);
    }
    expect((await db().query<{ n: string }>('SELECT count(*) AS n FROM disclosure_records')).rows[0]?.n).toBe(
      before,
    );
    const moved = await http<{ location: unknown }>('PATCH', `/api/v1/projects/${cast.project.id}`, {
      token: admin,
      body: { location: 'Jung-gu, Seoul' },
    });
    expect(moved.body.location).toEqual({ address: 'Jung-gu, Seoul', lat: null, lon: null });
    const sheets = (
      await http<{ items: Array<{ type?: string; version?: number; sheet?: { location: unknown } }> }>(
        'GET',
        `/public/v1/projects/${cast.project.code}/records?limit=1000`,
      )
    ).body.items.filter((r) => r.type === 'project');
    expect(sheets[sheets.length - 1]?.sheet?.location).toEqual({
      address: 'Jung-gu, Seoul',
      lat: null,
      lon: null,
    });
    expect(sheets.map((s) => s.version)).toEqual(sheets.map((_, i) => i + 1));
  });
});

describe('rules that keep the figures honest', () => {
  it('refuses a line whose last step of a money kind is not public, and changes nothing', async () => {
    const admin = await asAdmin();
    const res = await http<{ errors: Array<{ field: string }> }>(
      'PUT',
      `/api/v1/projects/${cast.project.id}/approval-lines/design_change`,
      {
        token: admin,
        body: {
          steps: [
            { key: 'review', name: 'Review', assigneeRole: 'supervisor', mode: 'any', sla: 'PT72H' },
            {
              key: 'head',
              name: 'Head',
              assigneeRole: 'agency_head',
              mode: 'any',
              sla: 'PT72H',
              public: false,
            },
          ],
        },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toContain('steps[1].public');
  });

  it('does not complete the project on a partial completion inspection', async () => {
    await approved('completion_inspection', {
      title: 'East span accepted',
      body: { completionType: 'partial', completedOn: '2026-11-30' },
    });
    const overview = await http<{ completion: unknown }>('GET', `/public/v1/projects/${cast.project.code}`);
    expect(overview.body.completion).toBeNull();
    const seq = await approvingSeq(
      await approved('completion_inspection', {
        title: 'Works completed',
        body: { completionType: 'final', completedOn: '2026-11-30' },
      }),
    );
    const after = await http<{ completion: { seq: number } }>(
      'GET',
      `/public/v1/projects/${cast.project.code}`,
    );
    expect(after.body.completion?.seq).toBe(seq);
    const pkg = await http<{
      projects: Array<{ completion?: unknown; contractingProcesses: Array<{ summary: { status: string } }> }>;
    }>('GET', `/public/v1/projects/${cast.project.code}/oc4ids.json`);
    expect(pkg.body.projects[0]?.completion).toBeDefined();
    expect(pkg.body.projects[0]?.contractingProcesses[0]?.summary.status).toBe('closed');
    expect((await validateOc4ids(pkg.body)).validationErrors).toEqual([]);
  }, 60_000);
});
