/**
 * Hostile input against what issues 15 and 16 added: NUL and lone surrogates, oversized fields,
 * arrays for scalars, odd URL spellings, another project's ids. Every answer is a 4xx (a
 * problem+json from the APIs), never a 5xx, and nothing is stored: no feedback, no log record.
 */
import { solveChallenge, type Challenge } from '../../apps/api/src/feedback/proof-of-work';
import { closeDb, db } from '../support/db';
import { asAdmin } from '../support/factories';
import { http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';

let cast: Cast;
let other: Cast;

async function proof(): Promise<string> {
  const challenge = (await http<Challenge>('GET', '/public/v1/feedback/challenge')).body;
  const { maxnumber: _max, ...signed } = challenge;
  return Buffer.from(JSON.stringify({ ...signed, number: solveChallenge(challenge) })).toString('base64');
}

const counts = async () =>
  (
    await db().query<{ feedback: string; records: string }>(
      'SELECT (SELECT count(*) FROM feedback) AS feedback, (SELECT count(*) FROM disclosure_records) AS records',
    )
  ).rows[0];

beforeAll(async () => {
  cast = await castProject();
  other = await castProject();
});
afterAll(closeDb);

it('refuses hostile feedback, follow-ups and queries with a 4xx, storing nothing', async () => {
  const before = await counts();
  const code = cast.project.code;
  const bodies: Array<Record<string, unknown>> = [
    { category: 'question', message: 'nul \u0000 inside' },
    { category: 'question', message: 'lone \ud800 surrogate' },
    { category: 'question', message: 'x'.repeat(2_001) },
    { category: 'question', message: 'fine', contact: 'a'.repeat(5_000) },
    { category: ['question'], message: 'array category' },
    { category: 'question', message: { text: 'object' } },
    { category: 'question', message: 'fine', extra: true },
    { category: 'question', message: 'fine', contact: null },
  ];
  for (const body of bodies) {
    const res = await http('POST', `/public/v1/projects/${code}/feedback`, {
      body: { ...body, altcha: await proof() },
    });
    expect({ body: JSON.stringify(body).slice(0, 60), status: res.status }).toEqual({
      body: JSON.stringify(body).slice(0, 60),
      status: 400,
    });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  }
  const oversizedProof = await http('POST', `/public/v1/projects/${code}/feedback`, {
    body: { category: 'question', message: 'fine', altcha: 'A'.repeat(100_000) },
  });
  expect(oversizedProof.status).toBe(400);
  const paths = [
    '/public/v1/feedback/%00',
    '/public/v1/feedback/%ED%A0%80',
    `/public/v1/feedback/${'A'.repeat(10_000)}`,
    '/public/v1/feedback/..%2F..%2Fadmin',
    '/public/v1/flags?project=%00',
    '/public/v1/flags?cursor=%ED%A0%80',
    '/public/v1/flags?status=raised&status=outweighed',
    '/public/v1/agencies/%00',
    '/public/v1/agencies?cursor=!!!',
    `/public/v1/projects/${code}/flags%00`,
  ];
  for (const path of paths) {
    const res = await http('GET', path);
    expect({ path, client: res.status >= 400 && res.status < 500 }).toEqual({ path, client: true });
  }
  for (const path of ['/agencies/%00', '/agencies/x/records?figure=%00&step=%ED%A0%80', '/feedback/%00']) {
    const res = await http('GET', path);
    expect({ path, client: res.status >= 400 && res.status < 500 }).toEqual({ path, client: true });
  }
  const followUp = await http('POST', '/public/v1/feedback/AAAA-BBBB-CCCC/follow-up', {
    body: { message: 'lone \udfff', altcha: await proof() },
  });
  expect(followUp.status).toBe(400);
  expect(await counts()).toEqual(before);
});

it('refuses hostile locations and answers, and another project’s staff', async () => {
  const admin = await asAdmin();
  const before = await counts();
  for (const location of [
    { address: 'nul \u0000' },
    { address: 'lone \ud800' },
    { address: 'x'.repeat(301) },
  ]) {
    const res = await http('PATCH', `/api/v1/projects/${cast.project.id}`, {
      token: admin,
      body: { location },
    });
    expect(res.status).toBe(400);
  }
  const sent = await http<{ id: string }>('POST', `/public/v1/projects/${cast.project.code}/feedback`, {
    body: { category: 'question', message: 'A fair question about the detour.', altcha: await proof() },
  });
  expect(sent.status).toBe(202);
  const afterSubmit = await counts();
  for (const answer of ['nul \u0000', 'lone \ud800', 'x'.repeat(4_001)]) {
    const res = await http('POST', `/api/v1/feedback/${sent.body.id}/answer`, {
      token: cast.officer.token,
      body: { answer },
    });
    expect(res.status).toBe(400);
  }
  // The other project's officer and head see nothing of it.
  for (const token of [other.officer.token, other.head.token]) {
    expect((await http('GET', `/api/v1/feedback/${sent.body.id}`, { token })).status).toBe(404);
    expect(
      (
        await http('POST', `/api/v1/feedback/${sent.body.id}/answer`, {
          token,
          body: { answer: 'Mine now.' },
        })
      ).status,
    ).toBe(404);
  }
  const list = await http<{ items: Array<{ id: string }> }>('GET', '/api/v1/feedback', {
    token: other.officer.token,
  });
  expect(list.body.items.map((f) => f.id)).not.toContain(sent.body.id);
  expect((await counts())?.records).toBe(afterSubmit?.records);
  expect(Number(afterSubmit?.feedback)).toBe(Number(before?.feedback) + 1);
});
