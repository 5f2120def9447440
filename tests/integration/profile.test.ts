/**
 * The deployment profile as the API applies it: bodies checked against their kind's schema, the
 * amount rule and currency of the profile, the public part published, and a report judged and
 * published by the kind it was submitted under, whatever the profile says later.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@openccs/config';
import { legacyKind } from '@openccs/domain';
import { createDataSource, MIGRATIONS } from '@openccs/persistence';
import type { MigrationInterface } from 'typeorm';
import { parse, stringify } from 'yaml';
import { startApi, type ExtraApi } from '../support/api';
import { closeDb, count, db } from '../support/db';
import { http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';

type Problem = { status: number; code?: string; errors?: Array<{ field: string; message: string }> };
type Report = { id: string; status: string; kindVersion: string; body: Record<string, unknown> };

let cast: Cast;
beforeAll(async () => {
  cast = await castProject();
});
afterAll(closeDb);

const submit = (body: Record<string, unknown>, base?: string) =>
  http<Report & Problem>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body,
    ...(base ? { base } : {}),
  });

it('checks a progress report’s body against its kind: physicalProgress 150 is a 400 naming body.physicalProgress', async () => {
  const res = await submit({
    kind: 'progress_report',
    title: 'November progress',
    body: { physicalProgress: 150 },
  });
  expect([res.status, res.body.code]).toEqual([400, 'report.invalid']);
  expect(res.body.errors).toEqual([
    { field: 'body.physicalProgress', message: 'body.physicalProgress must be <= 100' },
  ]);
  const period = await submit({
    kind: 'progress_report',
    title: 'November progress',
    body: { period: 'November' },
  });
  expect(period.body.errors?.map((e) => e.field)).toEqual(['body.period']);
  const ok = await submit({
    kind: 'progress_report',
    title: 'November progress',
    body: { physicalProgress: 40, financialProgress: 35, period: '2026-11' },
  });
  expect(ok.status).toBe(201);
});

it('applies the kind’s amount rule, and refuses a kind the profile does not have', async () => {
  const none = await submit({
    kind: 'inspection_request',
    title: 'Formwork',
    amount: { value: 1000, currency: 'KRW' },
  });
  expect([none.status, none.body.errors?.[0]?.field]).toEqual([400, 'amount']);
  const negative = await submit({
    kind: 'progress_payment',
    title: 'Claim',
    amount: { value: -5, currency: 'KRW' },
  });
  expect([negative.status, negative.body.errors?.[0]?.field]).toEqual([400, 'amount.value']);
  const foreign = await submit({ kind: 'decompte_provisoire', title: 'Décompte n° 3' });
  expect([foreign.status, foreign.body.errors?.map((e) => e.field)]).toEqual([400, ['kind']]);
});

it('publishes the public part of the profile: kinds with their schema and public fields, languages, currency', async () => {
  const res = await http<{
    name: string;
    languages: string[];
    currency: string;
    kinds: Array<{ key: string; names: Record<string, string>; publicFields: string[]; bodySchema: object }>;
  }>('GET', '/public/v1/profile');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ name: 'seoul', languages: ['ko', 'en'], currency: 'KRW' });
  const progress = res.body.kinds.find((k) => k.key === 'progress_report');
  expect(progress).toMatchObject({
    names: { ko: '공정 보고', en: 'Progress report' },
    publicFields: expect.arrayContaining(['physicalProgress', 'financialProgress', 'period']),
    bodySchema: expect.objectContaining({ type: 'object' }),
  });
  expect(res.text).not.toMatch(/demo\.contractor|password/i);
});

describe('a report keeps the kind it was submitted under', () => {
  let dir: string;
  let changed: ExtraApi;

  beforeAll(async () => {
    // The same deployment after an administrator tightened progress reports: at most 50 %, and
    // `period` no longer public.
    dir = mkdtempSync(join(tmpdir(), 'openccs-profile-'));
    cpSync(join(projectRoot(), 'profiles', 'seoul'), dir, { recursive: true });
    const file = join(dir, 'kinds/progress_report.yaml');
    const kind = parse(readFileSync(file, 'utf8')) as {
      body: { properties: { physicalProgress: { maximum: number } } };
      disclosure: { publicFields: string[] };
    };
    kind.body.properties.physicalProgress.maximum = 50;
    kind.disclosure.publicFields = ['physicalProgress'];
    writeFileSync(file, stringify(kind));
    changed = await startApi({ OPENCCS_PROFILE: dir, LOG_LEVEL: 'fatal' });
  });
  afterAll(async () => {
    await changed.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is judged by its own schema on resubmission, while new reports follow the new profile', async () => {
    const before = await submit({
      kind: 'progress_report',
      title: 'Progress, week 48',
      body: { physicalProgress: 70, period: '2026-11' },
    });
    expect(before.status).toBe(201);
    const after = await submit(
      { kind: 'progress_report', title: 'Progress, week 48', body: { physicalProgress: 70 } },
      changed.base,
    );
    expect(after.body.errors?.map((e) => e.field)).toEqual(['body.physicalProgress']);
    expect(after.status).toBe(400);
    // Returned and resubmitted through the changed deployment: judged by the schema it was submitted under.
    await http('POST', `/api/v1/reports/${before.body.id}/decisions`, {
      token: cast.supervisor.token,
      body: { action: 'return' },
    });
    const resubmitted = await http<Report & Problem>('POST', `/api/v1/reports/${before.body.id}/resubmit`, {
      base: changed.base,
      token: cast.contractor.token,
      body: { body: { physicalProgress: 75, period: '2026-11' } },
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.kindVersion).toBe(before.body.kindVersion);
  });

  it('is published by its own disclosure policy', async () => {
    const report = await submit({
      kind: 'progress_report',
      title: 'Progress, week 49',
      body: { physicalProgress: 72, period: '2026-12' },
    });
    for (const token of [cast.supervisor.token, cast.officer.token])
      await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
        base: changed.base,
        token,
        body: { action: 'approve' },
      });
    const records = await http<{
      items: Array<{ report: { id: string; body: Record<string, unknown>; meaning: unknown } }>;
    }>('GET', `/public/v1/projects/${cast.project.code}/records?limit=1000`);
    const mine = records.body.items.filter((r) => r.report?.id === report.body.id);
    expect(mine).toHaveLength(2);
    for (const r of mine) {
      expect(r.report.body).toEqual({ physicalProgress: 72, period: '2026-12' });
      expect(r.report.meaning).toEqual({
        amount: 'none',
        progress: { physical: 72, financial: null },
        completion: false,
      });
    }
  });
});

describe('a report stored before profiles', () => {
  it('reads as the kind it had then, and the migration writes that snapshot into the read model', async () => {
    const report = await submit({
      kind: 'progress_report',
      title: 'Progress, week 46',
      body: { progressPercent: 55, period: '2026-11' },
    });
    expect(report.status).toBe(201);
    // As a report of the first stage was stored: no snapshot of its kind.
    await db().query(`UPDATE reports SET state = state - 'kindSnapshot' WHERE id = $1`, [report.body.id]);
    const read = await http<Report & { kind: string }>('GET', `/api/v1/reports/${report.body.id}`, {
      token: cast.contractor.token,
    });
    expect([read.status, read.body.kindVersion]).toEqual([200, 'legacy']);

    const migration = MIGRATIONS.find((m) => m.name === 'KindSnapshots1765100000000');
    if (!migration) throw new Error('no KindSnapshots migration');
    await new DataSourceFor(process.env.DATABASE_URL ?? '').run(new migration());
    const stored = await db().query<{ snapshot: unknown }>(
      `SELECT state->'kindSnapshot' AS snapshot FROM reports WHERE id = $1`,
      [report.body.id],
    );
    expect(stored.rows[0]?.snapshot).toEqual(legacyKind('progress_report'));
    expect(await count(`SELECT 1 FROM reports WHERE NOT (state ? 'kindSnapshot')`)).toBe(0);
    // Its old progressPercent is its physical progress, in the workflow and on the public side.
    for (const token of [cast.supervisor.token, cast.officer.token])
      expect(
        (
          await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
            token,
            body: { action: 'approve' },
          })
        ).status,
      ).toBe(200);
    const records = await http<{
      items: Array<{ report: { id: string; meaning: { progress: unknown } } }>;
    }>('GET', `/public/v1/projects/${cast.project.code}/records?limit=1000`);
    const mine = records.body.items.filter((r) => r.report?.id === report.body.id);
    expect(mine.map((r) => r.report.meaning.progress)).toEqual([
      { physical: 55, financial: null },
      { physical: 55, financial: null },
    ]);
  });
});

/** Runs one migration's `up` against the test database. */
class DataSourceFor {
  constructor(private readonly url: string) {}

  async run(migration: MigrationInterface): Promise<void> {
    const ds = await createDataSource(this.url, 'openccs-test-migration').initialize();
    const runner = ds.createQueryRunner();
    try {
      await migration.up(runner);
    } finally {
      await runner.release();
      await ds.destroy();
    }
  }
}
