/**
 * Hostile input, generated: strings of any code units (NUL, lone surrogates, controls, bidi
 * overrides, noncharacters, huge), extreme durations and numbers, odd JSON, thrown at every write
 * endpoint of the staff API and at the public side's parameters. After each request: no 5xx, and
 * the report it touched (or a fresh one) still goes through its whole line. At the end the log
 * verifies and readiness says all is well.
 *
 * Each property starts with the cases issue 11 found (so they are always tried), then explores.
 * Fixed seed in `npm test`; a longer run: FUZZ_RUNS=500 FUZZ_SEED=<any> npx jest hostile-fuzz
 * (docs/security.md). A failure prints the seed and the shrunk input that reproduces it.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { addMember, asAdmin, createOrganization, createUser, unique } from '../support/factories';
import { apiUrl, http, type HttpResult } from '../support/http';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };

type Report = {
  id: string;
  status: string;
  currentStep: string | null;
  steps: Array<{ key: string; status: string; assignees: string[] }>;
};

/** Code units no layer accepts, or that mislead a reader. */
const POISON = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\ufffe',
  '\uffff',
  '\ufdd0',
  '\u202e',
  '\u2066',
  '\n',
  '\t',
];

/** Strings an attacker would try: every code unit, known poisons, sizes past every limit. */
const hostileString = fc.oneof(
  // Ordinary text with poison spliced in: what gets past a check that only looks at the ends.
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(...POISON), fc.nat())
      .map(
        ([text, poison, at]) =>
          text.slice(0, at % (text.length + 1)) + poison + text.slice(at % (text.length + 1)),
      ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\udfff\ud800',
      '\u202egnp.exe',
      '\u2066x\u2069',
      '=HYPERLINK("http://x","y")',
      '<![CDATA[]]>',
      '%00',
      '\\u0000',
      '',
      ' ',
      'Cafe\u0301',
    ),
  },
  { weight: 1, arbitrary: fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.nat({ max: 30_000 }).map((n) => '가'.repeat(n)) },
);

/** Durations: valid, out of range, malformed, absurd. */
const hostileDuration = fc.oneof(
  fc.constantFrom('PT0S', 'PT1H', 'P366D', 'P367D', 'P420000W', 'P1Y', 'P1M', 'PT-1S', 'P', 'PT', 'P1DT', ''),
  fc
    .bigInt({ min: 0n, max: 10n ** 25n })
    .chain((n) => fc.constantFrom(`PT${n}S`, `P${n}D`, `P${n}W`, `PT${n}.5H`)),
  hostileString,
);

/** JSON bodies: deep, wide, odd keys, odd numbers. */
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  fc.nat({ max: 60 }).map((d) => JSON.parse(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`) as unknown),
  fc.constantFrom(
    JSON.parse('{"__proto__":{"admin":true}}') as unknown,
    { constructor: { prototype: 1 } },
    [1e308, -0, 5e-324],
  ),
);

let cast: Cast;
let admin: string;

beforeAll(async () => {
  cast = await castProject();
  admin = await asAdmin();
});

function noServerError(what: string, res: HttpResult<unknown>): void {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
}

const newReport = async (kind = 'inspection_request') => {
  const res = await http<Report>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
    token: cast.contractor.token,
    body: { kind, title: `Fuzz ${kind}` },
  });
  expect(res.status).toBe(201);
  return res.body;
};

/** The report still goes through its line: each open step gets a normal decision from an assignee. */
async function stillWorks(id: string): Promise<void> {
  const people = [cast.supervisor, cast.supervisor2, cast.officer, cast.officer2, cast.head];
  for (let i = 0; i < 8; i++) {
    const report = (await http<Report>('GET', `/api/v1/reports/${id}`, { token: admin })).body;
    if (['approved', 'rejected', 'withdrawn'].includes(report.status)) return;
    if (report.status === 'returned') {
      const res = await http('POST', `/api/v1/reports/${id}/resubmit`, {
        token: cast.contractor.token,
        body: {},
      });
      expect([`resubmit ${id}`, res.status]).toEqual([`resubmit ${id}`, 200]);
      continue;
    }
    const step = report.steps.find((s) => s.key === report.currentStep);
    const assignee = people.find((p) => step?.assignees.includes(p.id));
    expect([`an assignee of ${id}`, assignee !== undefined]).toEqual([`an assignee of ${id}`, true]);
    const res = await http('POST', `/api/v1/reports/${id}/decisions`, {
      token: assignee?.token,
      body: { action: 'approve' },
    });
    expect([`approve ${id}`, res.status]).toEqual([`approve ${id}`, 200]);
  }
  throw new Error(`report ${id} did not finish its line`);
}

/** Numbers past every bound: infinities arrive as null in JSON, the rest as they are. */
const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 5e-324, 2 ** 53 + 1, -0, 1e15 + 0.0001),
);

/** Any value at all, biased towards poisoned text. */
const hostileValue = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileJson },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, [], {}) },
);

/** Sets `path` (dots and [i]) of a copy of `valid` to `value`. */
function withField(valid: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(valid);
  const keys = path.split(/\.|\[|\]\.?/).filter(Boolean);
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys[keys.length - 1] ?? ''] = value;
  return copy;
}

/** A valid request with exactly one field made hostile: what tells which check is missing. */
const oneHostileField = (valid: Record<string, unknown>, fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .constantFrom(...Object.keys(fields))
    .chain((field) =>
      (fields[field] as fc.Arbitrary<unknown>).map((value) => withField(valid, field, value)),
    );

it('submissions: a report with any one hostile field is stored whole or refused, and never wedges', async () => {
  const valid = {
    kind: 'design_change',
    title: 'Fuzz design change',
    publicSummary: 'Moves the outlet',
    body: { changeType: 'drainage', notes: 'See drawing D-12' },
    amount: { value: 1_000_000, currency: 'KRW' },
  };
  await fc.assert(
    fc.asyncProperty(
      oneHostileField(valid, {
        title: hostileValue,
        publicSummary: hostileValue,
        'body.notes': hostileValue,
        'body.changeType': hostileString,
        body: hostileJson,
        'amount.value': hostileNumber,
        'amount.currency': hostileString,
        kind: hostileString,
      }),
      async (body) => {
        const res = await http<Report>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
          token: cast.contractor.token,
          body,
        });
        noServerError('submit', res);
        await stillWorks(res.status === 201 ? res.body.id : (await newReport()).id);
      },
    ),
    {
      ...settings,
      examples: [
        [withField(valid, 'title', 'bad\u0000title')],
        [withField(valid, 'publicSummary', 'bad\ud800')],
        [withField(valid, 'body.notes', 'nul\u0000')],
        [withField(valid, 'body', { blob: 'x'.repeat(900_000) })],
      ],
    },
  );
});

it('decisions, delegations and resubmissions: one hostile field never wedges the report', async () => {
  const cases = {
    decisions: {
      valid: { action: 'return', comment: 'Please add the test certificate' },
      fields: ['comment', 'action'],
    },
    delegations: { valid: { toUserId: cast.supervisor2.id }, fields: ['toUserId'] },
    resubmit: {
      valid: {
        title: 'Fuzz, revised',
        body: { notes: 'Certificate attached' },
        publicSummary: 'Revised',
        comment: 'Done',
      },
      fields: ['title', 'body.notes', 'body', 'publicSummary', 'comment'],
    },
  } as const;
  await fc.assert(
    fc.asyncProperty(
      fc
        .constantFrom(...(Object.keys(cases) as Array<keyof typeof cases>))
        .chain((operation) =>
          fc.tuple(
            fc.constant(operation),
            oneHostileField(
              cases[operation].valid as Record<string, unknown>,
              Object.fromEntries(
                cases[operation].fields.map((f) => [f, f === 'body' ? hostileJson : hostileValue]),
              ),
            ),
          ),
        ),
      async ([operation, body]) => {
        const report = await newReport();
        if (operation === 'resubmit')
          await http('POST', `/api/v1/reports/${report.id}/decisions`, {
            token: cast.supervisor.token,
            body: { action: 'return' },
          });
        const token = operation === 'resubmit' ? cast.contractor.token : cast.supervisor.token;
        const res = await http('POST', `/api/v1/reports/${report.id}/${operation}`, { token, body });
        noServerError(operation, res);
        await stillWorks(report.id);
      },
    ),
    {
      ...settings,
      examples: [
        [['decisions', { action: 'return', comment: 'nul\u0000' }]],
        [['resubmit', { title: 'lone \udc00', body: {}, publicSummary: 'x', comment: 'x' }]],
      ],
    },
  );
});

it('escalations: one hostile field of a resolution is applied or refused, and the step still gets decided', async () => {
  await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/construction_plan`, {
    token: admin,
    body: {
      steps: [
        {
          key: 'supervisor_review',
          name: 'Supervisor review',
          assigneeRole: 'supervisor',
          mode: 'any',
          sla: 'PT1S',
          escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
        },
      ],
    },
  });
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        oneHostileField(
          { action: 'extend', extendBy: 'PT1H', justification: 'Supplier strike' },
          { extendBy: hostileDuration, justification: hostileValue, action: hostileString },
        ),
        oneHostileField(
          { action: 'reassign', toUserId: cast.supervisor2.id, justification: 'Leave' },
          { toUserId: hostileValue, justification: hostileValue },
        ),
      ),
      async (body) => {
        const report = await newReport('construction_plan');
        const escalation = await until('the escalation', async () => {
          const open = await http<{ items: Array<{ id: string; reportId: string }> }>(
            'GET',
            '/api/v1/escalations',
            {
              token: cast.head.token,
            },
          );
          return open.body.items.find((e) => e.reportId === report.id)?.id;
        });
        const res = await http('POST', `/api/v1/escalations/${escalation}/resolve`, {
          token: cast.head.token,
          body,
        });
        noServerError('resolve', res);
        await stillWorks(report.id);
      },
    ),
    {
      ...settings,
      numRuns: Math.max(4, Math.ceil(RUNS / 2)),
      examples: [[{ action: 'extend', extendBy: 'P420000W', justification: 'Far future' }]],
    },
  );
});

it('administration: lines, projects, organizations and users with one hostile field are stored or refused', async () => {
  const validStep = {
    steps: [
      {
        key: 'review',
        name: 'Review',
        assigneeRole: 'supervisor',
        mode: 'quorum',
        quorum: 1,
        sla: 'PT72H',
        escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
      },
    ],
  };
  const validProject = {
    code: 'FUZZ-1',
    title: 'Fuzzed bridge',
    agencyOrganizationId: cast.agency.id,
    description: 'Deck replacement',
    location: 'Jongno-gu',
    startDate: '2026-03-02',
    endDate: '2027-06-30',
    contractAmount: { value: 1_000_000, currency: 'KRW' },
  };
  const validUser = {
    username: 'fuzz.user',
    password: 'a-fuzzed-password-1',
    displayName: 'Fuzz',
    organizationId: cast.agency.id,
  };
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        oneHostileField(validStep, {
          'steps[0].key': hostileValue,
          'steps[0].name': hostileValue,
          'steps[0].sla': hostileDuration,
          'steps[0].escalation[0].after': hostileDuration,
          'steps[0].quorum': hostileNumber,
          'steps[0].mode': hostileString,
        }).map((body) => ['line', body] as const),
        oneHostileField(validProject, {
          code: hostileValue,
          title: hostileValue,
          description: hostileValue,
          location: hostileValue,
          startDate: fc.oneof(
            hostileString,
            fc.constantFrom('0000-01-01', '9999-12-31', '2026-02-30', '275760-09-13'),
          ),
          endDate: fc.oneof(hostileString, fc.constantFrom('0001-01-01', '2199-12-31', '2200-01-01')),
          'contractAmount.value': hostileNumber,
        }).map((body) => ['project', body] as const),
        oneHostileField(
          { name: 'Fuzz org', kind: 'contractor' },
          { name: hostileValue, kind: hostileString },
        ).map((body) => ['organization', body] as const),
        oneHostileField(validUser, {
          username: hostileValue,
          password: hostileValue,
          displayName: hostileValue,
        }).map((body) => ['user', body] as const),
      ),
      async ([what, raw]) => {
        const body = { ...raw };
        if (what === 'project' && body.code === 'FUZZ-1') body.code = unique('FUZZ');
        if (what === 'organization' && body.name === 'Fuzz org') body.name = unique('Fuzz org');
        if (what === 'user' && body.username === 'fuzz.user') body.username = unique('fuzz.user');
        const [method, path] =
          what === 'line'
            ? ['PUT', `/api/v1/projects/${cast.project.id}/approval-lines/completion_inspection`]
            : what === 'project'
              ? ['POST', '/api/v1/projects']
              : what === 'organization'
                ? ['POST', '/api/v1/organizations']
                : ['POST', '/api/v1/users'];
        const res = await http<{ id: string }>(method, path, { token: admin, body });
        noServerError(what, res);
        if (what === 'line' && res.status === 200) {
          const report = await newReport('completion_inspection');
          expect(
            (await http<Report>('GET', `/api/v1/reports/${report.id}`, { token: admin })).body.steps[0]
              ?.status,
          ).toBe('active');
        }
        if (what === 'project' && res.status === 201)
          expect((await http('GET', `/api/v1/projects/${res.body.id}`, { token: admin })).status).toBe(200);
        if (what === 'user' && res.status === 201) {
          const login = await http('POST', '/api/v1/auth/token', {
            body: { username: body.username, password: body.password },
          });
          noServerError('login', login);
        }
      },
    ),
    {
      ...settings,
      examples: [
        [['line', withField(validStep, 'steps[0].sla', 'P420000W')]],
        [['project', withField(validProject, 'startDate', '0000-01-01')]],
        [['project', withField(validProject, 'title', 'nul\u0000')]],
      ],
    },
  );
  // Back to a line the rest of the suite expects.
  await http('PUT', `/api/v1/projects/${cast.project.id}/approval-lines/completion_inspection`, {
    token: admin,
    body: {
      steps: [{ key: 'review', name: 'Review', assigneeRole: 'supervisor', mode: 'any', sla: 'PT72H' }],
    },
  });
  await stillWorks((await newReport('completion_inspection')).id);
});

/** A value as it would travel in a URL; lone surrogates as the raw bytes an attacker would send. */
function urlEncode(value: string): string {
  return [...value].map((c) => (/[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('');
}

it('the public side: any one hostile path segment, parameter or header is answered without a server error', async () => {
  const routes = [
    ['/public/v1/projects', ['q', 'status', 'agency', 'kind', 'cursor', 'limit']],
    [`/public/v1/projects/${cast.project.code}`, ['x']],
    [`/public/v1/projects/${cast.project.code}/records`, ['after', 'cursor', 'limit']],
    ['/public/v1/records', ['after', 'cursor', 'limit']],
    ['/public/v1/log/inclusion', ['seq', 'treeSize']],
    ['/public/v1/log/consistency', ['from', 'to']],
    ['/', ['q', 'status', 'agency', 'location', 'cursor', 'lang']],
    ['/verify', ['lang']],
  ] as const;
  const raw = fc.oneof(
    hostileString,
    fc.constantFrom('%00', '%ED%A0%80', '%C0%80', '%FF', '%', '%%', '..%2F'),
  );
  await fc.assert(
    fc.asyncProperty(
      fc
        .constantFrom(...routes)
        .chain(([path, params]) =>
          fc.tuple(
            fc.constant(path),
            fc.constantFrom(...params),
            raw,
            fc.constantFrom('query', 'segment', 'header'),
          ),
        ),
      async ([path, param, value, where]) => {
        const encoded = /^%|%%/.test(value) ? value : urlEncode(value);
        const url =
          where === 'segment'
            ? `/public/v1/projects/${encoded}/records`
            : where === 'query'
              ? `${path}?${param}=${encoded}`
              : path;
        const headers: Record<string, string> =
          where === 'header' && /^[\t\x20-\x7e]*$/.test(value)
            ? { 'accept-language': value, 'x-request-id': value, 'if-none-match': value }
            : {};
        const res = await http('GET', url, { headers });
        noServerError(url, res);
      },
    ),
    {
      ...settings,
      numRuns: RUNS * 4,
      examples: [
        [['/public/v1/projects', 'q', '%00', 'query']],
        [['/public/v1/records', 'after', '1', 'segment']],
        [['/public/v1/projects', 'q', 'nul\u0000', 'segment']],
      ],
    },
  );
});

it('after all of it: a fresh report goes through its line, the log verifies, readiness is honest', async () => {
  const agency = await createOrganization('agency');
  const supervisor = await createUser(await createOrganization('supervisor'));
  const contractor = await createUser(await createOrganization('contractor'));
  const project = (
    await http<{ id: string; code: string; title: string }>('POST', '/api/v1/projects', {
      token: admin,
      body: { code: unique('AFTER-FUZZ'), title: 'After the fuzz', agencyOrganizationId: agency.id },
    })
  ).body;
  await addMember(project, supervisor, 'supervisor');
  await addMember(project, contractor, 'contractor');
  const report = await http<Report>('POST', `/api/v1/projects/${project.id}/reports`, {
    token: contractor.token,
    body: { kind: 'inspection_request', title: `Fresh ${randomUUID().slice(0, 6)}` },
  });
  const done = await http<Report>('POST', `/api/v1/reports/${report.body.id}/decisions`, {
    token: supervisor.token,
    body: { action: 'approve' },
  });
  expect(done.body.status).toBe('approved');
  const { stdout } = await promisify(execFile)(process.execPath, [
    join(__dirname, '../../dist/apps/verifier/src/main.js'),
    '--url',
    apiUrl(),
  ]);
  expect(stdout).toMatch(/^OK: \d+ records/);
  const ready = await http('GET', '/health/ready');
  expect([ready.status, ready.text]).toEqual([200, expect.any(String)]);
});
