/**
 * The public side: exactly one record per finished public step, nothing private in any public
 * response, a log anyone can verify (and whose tampering the verifier names), proofs, search.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { promisify } from 'node:util';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import {
  canonicalRecord,
  leafHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
  type StepRecord,
} from '@openccs/disclosure';
import { apiUrl, http } from '../support/http';
import { closeDb, db } from '../support/db';
import { castProject, type Cast } from '../support/scenario';

const run = promisify(execFile);
const VERIFIER = join(__dirname, '../../dist/apps/verifier/src/main.js');

let cast: Cast;
let reportId: string;
const SECRET_NOTE = 'confidential: subcontractor margin 14%';

beforeAll(async () => {
  cast = await castProject();
  const decide = (token: string, action: string) =>
    http('POST', `/api/v1/reports/${reportId}/decisions`, { token, body: { action } });
  const submitted = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: {
      kind: 'design_change',
      title: 'Pier 4 foundation deepened',
      publicSummary: 'Pier 4 piles are 6 m longer after a boring survey.',
      body: { changeType: 'structural', secretNote: SECRET_NOTE },
      amount: { value: 212_000_000, currency: 'KRW' },
    },
  });
  reportId = submitted.body.id;
  await decide(cast.supervisor.token, 'approve');
  await decide(cast.officer.token, 'return');
  await http('POST', `/api/v1/reports/${reportId}/resubmit`, { token: cast.contractor.token, body: {} });
  await decide(cast.supervisor2.token, 'approve');
  await decide(cast.officer2.token, 'approve');
  const done = await decide(cast.head.token, 'approve');
  expect(done.body.status).toBe('approved');
});
afterAll(closeDb);

const projectRecords = async () =>
  (await http<{ items: StepRecord[] }>('GET', `/public/v1/projects/${cast.project.code}/records?limit=1000`))
    .body.items;

it('publishes exactly one record per finished step: five for a report returned once and approved on revision 2', async () => {
  const mine = (await projectRecords()).filter((r) => r.report?.id === reportId);
  expect(mine.map((r) => [r.report.revision, r.step.key, r.step.outcome])).toEqual([
    [1, 'supervisor_review', 'approved'],
    [1, 'agency_officer_approval', 'returned'],
    [2, 'supervisor_review', 'approved'],
    [2, 'agency_officer_approval', 'approved'],
    [2, 'agency_head_decision', 'approved'],
  ]);
  expect(mine.at(-1)?.report).toMatchObject({
    status: 'approved',
    amount: { value: 212_000_000, currency: 'KRW' },
  });
  expect(mine[0]?.actor).toEqual({
    organization: expect.any(String),
    organizationKind: 'supervisor',
    role: 'supervisor',
    name: null,
  });
});

it('pins the exact fields of every public response, so nothing private can slip out later', async () => {
  const records = await projectRecords();
  const record = records.find((r) => r.report?.id === reportId);
  // The project's public sheet, published when it was created (docs/open-data.md).
  const sheet = records[0] as unknown as Record<string, Record<string, unknown>>;
  expect(Object.keys(sheet).sort()).toEqual([
    'id',
    'project',
    'publishedAt',
    'seq',
    'sheet',
    'type',
    'version',
  ]);
  expect(Object.keys(sheet.sheet ?? {}).sort()).toEqual(
    [
      'agency',
      'contractValue',
      'description',
      'endDate',
      'location',
      'parties',
      'startDate',
      'status',
    ].sort(),
  );
  expect(Object.keys(record ?? {}).sort()).toEqual(
    ['actor', 'escalations', 'id', 'onBehalf', 'project', 'publishedAt', 'report', 'seq', 'step'].sort(),
  );
  expect(Object.keys(record?.report ?? {}).sort()).toEqual(
    // `meaning`: what the report means for the project, from its kind (records read without the profile).
    ['amount', 'body', 'id', 'kind', 'meaning', 'publicSummary', 'revision', 'status', 'title'].sort(),
  );
  expect(Object.keys(record?.actor ?? {}).sort()).toEqual([
    'name',
    'organization',
    'organizationKind',
    'role',
  ]);
  expect(Object.keys(record?.step ?? {}).sort()).toEqual(
    [
      'decidedAt',
      'dueAt',
      'key',
      'name',
      'onTime',
      'openedAt',
      'outcome',
      'slaSeconds',
      'takenSeconds',
    ].sort(),
  );
  const overview = await http<Record<string, unknown>>('GET', `/public/v1/projects/${cast.project.code}`);
  expect(Object.keys(overview.body).sort()).toEqual(
    [
      'agency',
      'approvedPayments',
      'asOf',
      'code',
      'completion',
      'contract',
      'contractAmount',
      'description',
      'designChanges',
      'endDate',
      'flags',
      'latestProgress',
      'location',
      'modifications',
      'onTimeRate',
      'parties',
      'payments',
      'progress',
      'recordCount',
      'startDate',
      'status',
      'title',
    ].sort(),
  );
  expect(overview.body.designChanges).toEqual([
    {
      reportId,
      title: 'Pier 4 foundation deepened',
      amount: { value: 212_000_000, currency: 'KRW' },
      approvedAt: expect.any(String),
    },
  ]);
  const log = await http<Record<string, unknown>>('GET', '/public/v1/log');
  expect(Object.keys(log.body).sort()).toEqual(['export', 'howToVerify', 'publicKey', 'treeHead']);
  const exported = await http<Record<string, unknown>>('GET', '/public/v1/export/records.json');
  expect(Object.keys(exported.body).sort()).toEqual(['entries', 'keys', 'publicKey', 'treeHead']);
});

it('publishes no body field outside the whitelist and no contractor staff name, anywhere', async () => {
  const mine = (await projectRecords()).filter((r) => r.report?.id === reportId);
  expect(
    mine.every((r) => JSON.stringify(r.report.body) === JSON.stringify({ changeType: 'structural' })),
  ).toBe(true);
  const { rows } = await db().query<{ display_name: string; username: string }>(
    `SELECT display_name, username FROM users WHERE id = ANY($1)`,
    [[cast.contractor.id, cast.supervisor.id, cast.officer.id, cast.head.id]],
  );
  const responses = await Promise.all(
    [
      `/public/v1/projects/${cast.project.code}`,
      `/public/v1/projects/${cast.project.code}/records?limit=1000`,
      '/public/v1/records?limit=1000',
      '/public/v1/export/records.json',
      `/public/v1/projects?q=${encodeURIComponent(cast.project.title)}`,
    ].map((p) => http('GET', p)),
  );
  for (const res of responses) {
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(SECRET_NOTE);
    expect(res.text).not.toContain('secretNote');
    for (const person of rows) {
      expect(res.text).not.toContain(person.display_name);
      expect(res.text).not.toContain(person.username);
    }
  }
});

it('finds the project by public search, with filters and cursor pages', async () => {
  const byTitle = await http<{ items: Array<{ code: string }> }>(
    'GET',
    `/public/v1/projects?q=${encodeURIComponent(cast.project.title.slice(0, 12))}`,
  );
  expect(byTitle.body.items.map((p) => p.code)).toContain(cast.project.code);
  const byKind = await http<{ items: Array<{ code: string }> }>(
    'GET',
    `/public/v1/projects?q=${cast.project.code}&kind=design_change`,
  );
  expect(byKind.body.items.map((p) => p.code)).toEqual([cast.project.code]);
  const none = await http<{ items: unknown[] }>(
    'GET',
    `/public/v1/projects?q=${cast.project.code}&kind=progress_payment`,
  );
  expect(none.body.items).toEqual([]);
  expect((await http('GET', '/public/v1/projects?status=dreaming')).status).toBe(400);
  expect((await http('GET', '/public/v1/projects/NO-SUCH-PROJECT')).status).toBe(404);
});

it('serves inclusion and consistency proofs that verify against the signed heads', async () => {
  const mine = (await projectRecords()).filter((r) => r.report?.id === reportId);
  const first = mine[0] as StepRecord;
  const proof = await http<{
    leafHash: string;
    path: string[];
    treeSize: number;
    treeHead: { rootHash: string };
  }>('GET', `/public/v1/log/inclusion?seq=${first.seq}`);
  expect(proof.body.leafHash).toBe(leafHash(canonicalRecord(first)));
  expect(
    verifyInclusion(
      proof.body.leafHash,
      first.seq,
      proof.body.treeSize,
      proof.body.path,
      proof.body.treeHead.rootHash,
    ),
  ).toBe(true);
  const consistency = await http<{
    from: number;
    to: number;
    proof: string[];
    fromHead: { rootHash: string };
    toHead: { rootHash: string };
  }>('GET', `/public/v1/log/consistency?from=${first.seq + 1}`);
  expect(
    verifyConsistency(
      consistency.body.from,
      consistency.body.to,
      consistency.body.proof,
      consistency.body.fromHead.rootHash,
      consistency.body.toHead.rootHash,
    ),
  ).toBe(true);
  expect((await http('GET', '/public/v1/log/inclusion?seq=abc')).status).toBe(400);
  // Proofs come from the stored perfect subtrees: one per completed subtree, n − popcount(n) for
  // a log of n records, each the hash of its two halves.
  const size = consistency.body.to;
  const stored = await db().query<{ level: number; index: string; hash: string }>(
    'SELECT level, index::text, hash FROM disclosure_nodes WHERE index * 2 ^ level + 2 ^ level <= $1',
    [size],
  );
  expect(stored.rowCount).toBe(size - size.toString(2).replaceAll('0', '').length);
  const leaves = (
    await db().query<{ leaf_hash: string }>(
      'SELECT leaf_hash FROM disclosure_records WHERE seq < $1 ORDER BY seq',
      [size],
    )
  ).rows.map((r) => r.leaf_hash);
  for (const node of stored.rows) {
    const width = 2 ** node.level;
    const from = Number(node.index) * width;
    expect([node.level, node.index, node.hash]).toEqual([
      node.level,
      node.index,
      rootHash(leaves.slice(from, from + width)),
    ]);
  }
});

it('is cacheable: strong ETags, Cache-Control, 304 on revalidation', async () => {
  const first = await http('GET', `/public/v1/projects/${cast.project.code}/records`);
  const etag = first.headers.get('etag');
  expect(etag).toMatch(/^"/); // strong: no W/ prefix
  expect(first.headers.get('cache-control')).toContain('public');
  // A plain request, as a CDN revalidates: fetch() would add Cache-Control: no-cache (Fetch spec).
  const status = await new Promise<number>((resolve, reject) =>
    get(
      `${apiUrl()}/public/v1/projects/${cast.project.code}/records`,
      { headers: { 'if-none-match': etag ?? '' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    ).on('error', reject),
  );
  expect(status).toBe(304);
});

it('replays a full page of the log byte for byte and marks it immutable; the tail page is never kept', async () => {
  const path = `/public/v1/projects/${cast.project.code}/records?limit=2`;
  const first = await http('GET', path);
  const second = await http('GET', path);
  expect(first.status).toBe(200);
  expect(second.text).toBe(first.text);
  expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
  expect(second.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(second.headers.get('x-content-type-options')).toBe('nosniff');
  expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
  const revalidated = await new Promise<number>((resolve, reject) =>
    get(`${apiUrl()}${path}`, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject),
  );
  expect(revalidated).toBe(304);
  // The tail may still grow: short-lived, and a new record shows at once.
  const tailPath = `/public/v1/projects/${cast.project.code}/records?limit=1000`;
  const tail = await http<{ items: StepRecord[] }>('GET', tailPath);
  expect(tail.headers.get('cache-control')).toBe('public, max-age=15, stale-while-revalidate=60');
  const next = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind: 'inspection_request', title: 'Tail check' },
  });
  await http('POST', `/api/v1/reports/${next.body.id}/decisions`, {
    token: cast.supervisor.token,
    body: { action: 'approve' },
  });
  const grown = await http<{ items: StepRecord[] }>('GET', tailPath);
  expect(grown.body.items.length).toBeGreaterThan(tail.body.items.length);
});

it('refuses to change or delete a published record at the database level', async () => {
  await expect(db().query(`UPDATE disclosure_records SET record = '{}'::jsonb`)).rejects.toThrow(
    /append-only/,
  );
  await expect(db().query(`DELETE FROM disclosure_records`)).rejects.toThrow(/append-only/);
  await expect(db().query(`TRUNCATE disclosure_records`)).rejects.toThrow(/append-only/);
});

describe('npm run verify', () => {
  beforeAll(() => {
    if (!existsSync(VERIFIER))
      throw new Error(`${VERIFIER} is missing: run npm run build (npm test does it first)`);
  });

  it('exits 0 for the live log (--url)', async () => {
    const { stdout } = await run(process.execPath, [VERIFIER, '--url', apiUrl()]);
    expect(stdout).toMatch(/^OK: \d+ records/);
  });

  it('exits non-zero, naming the first bad record, for an export with one record altered or removed', async () => {
    const exported = (
      await http<{ entries: Array<{ record: StepRecord }> }>('GET', '/public/v1/export/records.json')
    ).body;
    const dir = mkdtempSync(join(tmpdir(), 'openccs-verify-'));
    const target = exported.entries.findIndex((e) => e.record.report?.id === reportId);

    const altered = structuredClone(exported);
    (altered.entries[target]?.record as { step: { outcome: string } }).step.outcome = 'rejected';
    writeFileSync(join(dir, 'altered.json'), JSON.stringify(altered));
    const a = await run(process.execPath, [VERIFIER, '--file', join(dir, 'altered.json')]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(a?.code).toBe(1);
    expect(a?.stdout).toContain(`first bad record: position ${target}`);

    const removed = structuredClone(exported);
    removed.entries.splice(target, 1);
    writeFileSync(join(dir, 'removed.json'), JSON.stringify(removed));
    const r = await run(process.execPath, [VERIFIER, '--file', join(dir, 'removed.json')]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(r?.code).toBe(1);
    expect(r?.stdout).toContain(`position ${target}`);

    writeFileSync(join(dir, 'intact.json'), JSON.stringify(exported));
    const ok = await run(process.execPath, [VERIFIER, '--file', join(dir, 'intact.json')]);
    expect(ok.stdout).toMatch(/^OK/);
  });
});

describe('open data', () => {
  it('publishes OC4IDS project packages that validate against the official 0.9.4 schema', async () => {
    const schemas = join(__dirname, '../fixtures/oc4ids-0.9.4');
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    // The package schema $refs the project schema by its id URL: register that id with the local file.
    ajv.addSchema(JSON.parse(readFileSync(join(schemas, 'project-schema.json'), 'utf8')));
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(schemas, 'project-package-schema.json'), 'utf8')),
    );

    // An approved payment claim, so the package carries a transaction too.
    const claim = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      token: cast.contractor.token,
      body: {
        kind: 'progress_payment',
        title: 'Claim 1',
        body: { claimNumber: 1 },
        amount: { value: 150_000_000, currency: 'KRW' },
      },
    });
    for (const user of [cast.supervisor, cast.officer, cast.head]) {
      await http('POST', `/api/v1/reports/${claim.body.id}/decisions`, {
        token: user.token,
        body: { action: 'approve' },
      });
    }
    const overview = await http<{ approvedPayments: unknown }>(
      'GET',
      `/public/v1/projects/${cast.project.code}`,
    );
    expect(overview.body.approvedPayments).toEqual({
      count: 1,
      totals: [{ value: 150_000_000, currency: 'KRW' }],
    });
    const one = await http<{ projects: Array<Record<string, unknown>> }>(
      'GET',
      `/public/v1/projects/${cast.project.code}/oc4ids.json`,
    );
    expect(one.status).toBe(200);
    expect({ valid: validate(one.body), errors: validate.errors }).toEqual({ valid: true, errors: null });
    expect(one.body.projects[0]).toMatchObject({
      id: `oc4ids-openccs-${cast.project.code}`,
      title: cast.project.title,
      status: 'preparation',
      budget: { amount: { amount: 1_000_000, currency: 'KRW' } },
      publicAuthority: { id: cast.agency.id, name: cast.agency.name },
    });
    const contract = (
      one.body.projects[0]?.contractingProcesses as Array<{ summary: { transactions: unknown } }>
    )[0];
    expect(contract?.summary.transactions).toEqual([
      expect.objectContaining({ id: claim.body.id, value: { amount: 150_000_000, currency: 'KRW' } }),
    ]);
    expect(JSON.stringify(one.body)).not.toContain(SECRET_NOTE);

    const all = await http('GET', '/public/v1/export/oc4ids.json');
    expect({ valid: validate(all.body), errors: validate.errors }).toEqual({ valid: true, errors: null });
  });

  it('publishes every record as CSV and the newest as an Atom feed', async () => {
    const csv = await http('GET', '/public/v1/export/records.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,published_at,project_code,project_title,report_id,report_kind,report_title,revision,step_key,step_name,outcome,decided_at,due_at,on_time,taken_seconds,sla_seconds,actor_organization,actor_role,amount,currency,on_behalf_justification,record_type,document_title,document_category,document_version,files_sha256,sheet_version,agency,contract_value,contract_currency,feedback_event,feedback_category,feedback_question,feedback_answer',
    );
    const total = (await http<{ treeHead: { treeSize: number } }>('GET', '/public/v1/log')).body.treeHead
      .treeSize;
    expect(lines).toHaveLength(total + 1);
    expect(lines.filter((l) => l.includes(reportId))).toHaveLength(5);

    const atom = await http('GET', '/public/v1/feed.atom');
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    expect(atom.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect((atom.text.match(/<entry>/g) ?? []).length).toBe(Math.min(total, 100));
    expect(atom.text).toContain(cast.project.code);
    expect(atom.text).not.toContain(SECRET_NOTE);
  });
});
