/**
 * Citizen feedback (issue 16) through the API, as a client that knows only the contract: a
 * safety complaint with a solved challenge reaches the agency officers and the supervisor, is
 * answered and moderated, and is published (question and answer, by organization and role) with
 * no trace of the contact anywhere public; a replayed or forged challenge is refused; 1,000
 * submissions without a challenge change nothing; the hourly limit and duplicates are refused;
 * a feedback left unanswered past its deadline (a profile whose deadline is two seconds) is
 * published as overdue, escalates to the agency head, and counts in the agency's figures; a
 * follow-up reopens an answered feedback once; `npm run verify` stays green.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FeedbackRecord } from '@openccs/disclosure';
import { solveChallenge, type Challenge } from '../../apps/api/src/feedback/proof-of-work';
import { startApi, type ExtraApi } from '../support/api';
import { closeDb, db } from '../support/db';
import { apiUrl, http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';
import { until } from '../support/until';

const run = promisify(execFile);
const VERIFIER = join(__dirname, '../../dist/apps/verifier/src/main.js');
const CONTACT = 'citizen.kim.7731@example.org';

let cast: Cast;

/** A solved challenge, as the portal's script makes it. */
async function proof(base = apiUrl()): Promise<string> {
  const challenge = (await http<Challenge>('GET', '/public/v1/feedback/challenge', { base })).body;
  const number = solveChallenge(challenge);
  const payload = {
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    number,
    salt: challenge.salt,
    signature: challenge.signature,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

const feedbackCount = async () =>
  Number((await db().query<{ n: string }>('SELECT count(*) AS n FROM feedback')).rows[0]?.n);

async function submit(body: Record<string, unknown>, base = apiUrl()) {
  return http<{ id: string; trackingCode: string; errors?: Array<{ field: string }> }>(
    'POST',
    `/public/v1/projects/${cast.project.code}/feedback`,
    { base, body: { altcha: await proof(base), ...body } },
  );
}

beforeAll(async () => {
  cast = await castProject();
});
afterAll(closeDb);

describe('a safety complaint', () => {
  let id: string;
  let trackingCode: string;

  it('is received with a tracking code and routed to the agency officers and the supervisor', async () => {
    const res = await submit({
      category: 'safety',
      message: 'The scaffolding on the north side sways in the wind.',
      contact: CONTACT,
    });
    expect(res.status).toBe(202);
    expect(res.body.trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    ({ id, trackingCode } = res.body);
    const seen = await until(
      'the officer to see it',
      async () => {
        const list = await http<{
          items: Array<{ id: string; status: string; assignees: string[]; contact: string | null }>;
        }>('GET', '/api/v1/feedback?status=assigned', { token: cast.officer.token });
        return list.body.items.find((f) => f.id === id);
      },
      10_000,
    );
    expect(seen?.assignees).toEqual(
      expect.arrayContaining([cast.officer.id, cast.officer2.id, cast.supervisor.id, cast.supervisor2.id]),
    );
    // The contact is for the officials answering it: the officer sees it, the head (who only moderates) not.
    expect(seen?.contact).toBe(CONTACT);
    const asHead = await http<{ contact: string | null }>('GET', `/api/v1/feedback/${id}`, {
      token: cast.head.token,
    });
    expect(asHead.body.contact).toBeNull();
    expect((await http('GET', `/api/v1/feedback/${id}`, { token: cast.contractor.token })).status).toBe(404);
    // What each may do now, as the console offers it: the officer answers and moderates, the
    // supervisor (safety is routed to it) answers, the head only moderates until an escalation.
    for (const [user, may] of [
      [cast.officer, { mayAnswer: true, mayModerate: true }],
      [cast.supervisor, { mayAnswer: true, mayModerate: false }],
      [cast.head, { mayAnswer: false, mayModerate: true }],
    ] as const) {
      const view = await http<Record<string, unknown>>('GET', `/api/v1/feedback/${id}`, {
        token: user.token,
      });
      expect(view.body).toMatchObject(may);
    }
    const tracked = await http<Record<string, unknown>>('GET', `/public/v1/feedback/${trackingCode}`);
    expect(tracked.body).toMatchObject({ status: 'assigned', category: 'safety', published: false });
    expect(JSON.stringify(tracked.body)).not.toContain(CONTACT);
  });

  it('refuses answers from others, is answered by an officer, and published once moderated', async () => {
    const stranger = await http('POST', `/api/v1/feedback/${id}/answer`, {
      token: cast.contractor.token,
      body: { answer: 'Not mine to say.' },
    });
    expect(stranger.status).toBe(404);
    const answered = await http<{ status: string }>('POST', `/api/v1/feedback/${id}/answer`, {
      token: cast.officer.token,
      body: { answer: 'The scaffolding was re-anchored on Tuesday and inspected by the supervisor.' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('answered');
    const bySupervisor = await http('POST', `/api/v1/feedback/${id}/moderate`, {
      token: cast.supervisor.token,
      body: { action: 'publish', reason: 'fine' },
    });
    expect(bySupervisor.status).toBe(403);
    const badAction = await http<{ errors: Array<{ field: string }> }>(
      'POST',
      `/api/v1/feedback/${id}/moderate`,
      {
        token: cast.officer.token,
        body: { action: 'delete', reason: 'x' },
      },
    );
    expect(badAction.status).toBe(400);
    expect(badAction.body.errors.map((e) => e.field)).toContain('action');
    const moderated = await http<{ status: string }>('POST', `/api/v1/feedback/${id}/moderate`, {
      token: cast.officer.token,
      body: { action: 'publish', reason: 'A genuine safety question, answered.' },
    });
    expect(moderated.body.status).toBe('closed');
    const record = await until(
      'the answered record',
      async () => {
        const records = await http<{ items: FeedbackRecord[] }>(
          'GET',
          `/public/v1/projects/${cast.project.code}/records?limit=1000`,
        );
        return records.body.items.find((r) => r.type === 'feedback' && r.feedback.id === id);
      },
      10_000,
    );
    expect(record?.feedback).toMatchObject({
      event: 'answered',
      category: 'safety',
      question: 'The scaffolding on the north side sways in the wind.',
      answer: 'The scaffolding was re-anchored on Tuesday and inspected by the supervisor.',
      answeredBy: { organization: cast.agency.name, role: 'agency_officer', name: null },
      onTime: true,
    });
    const page = await http('GET', `/projects/${cast.project.code}?lang=ko`);
    expect(page.text).toContain('The scaffolding was re-anchored on Tuesday');
    expect(
      (await http<{ status: string; published: boolean }>('GET', `/public/v1/feedback/${trackingCode}`)).body,
    ).toMatchObject({
      status: 'closed',
      published: true,
    });
  });

  it('leaves no trace of the contact in any public response, export, feed or record', async () => {
    const publicPaths = [
      '/public/v1/export/records.json',
      '/public/v1/export/records.csv',
      '/public/v1/feed.atom',
      '/public/v1/flags',
      '/public/v1/flags.atom',
      '/public/v1/export/oc4ids.json',
      `/public/v1/projects/${cast.project.code}`,
      `/public/v1/projects/${cast.project.code}/records?limit=1000`,
      `/public/v1/agencies/${cast.agency.id}`,
      `/public/v1/feedback/${trackingCode}`,
      `/projects/${cast.project.code}?lang=en`,
      `/feedback/${trackingCode}?lang=en`,
    ];
    for (const path of publicPaths) {
      const res = await http('GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect({ path, leaks: res.text.includes(CONTACT) || res.text.includes('citizen.kim') }).toEqual({
        path,
        leaks: false,
      });
    }
    const stored = await db().query<{ record: unknown; contact: string | null }>(
      `SELECT (SELECT json_agg(record) FROM disclosure_records) AS record, contact_sealed AS contact FROM feedback WHERE id = $1`,
      [id],
    );
    expect(JSON.stringify(stored.rows[0]?.record)).not.toContain('citizen.kim');
    // Sealed at rest, not in clear.
    expect(stored.rows[0]?.contact).toMatch(/^v1\./);
    expect(stored.rows[0]?.contact).not.toContain('citizen');
    const ok = await run('node', [VERIFIER, '--url', apiUrl(), '--figures']);
    expect(ok.stdout).toMatch(/^OK/);
  });

  it('reopens once on a follow-up with the tracking code', async () => {
    const follow = await http<{ status: string; canFollowUp: boolean }>(
      'POST',
      `/public/v1/feedback/${trackingCode}/follow-up`,
      { body: { message: 'It sways again since the storm.', altcha: await proof() } },
    );
    expect(follow.status).toBe(202);
    expect(follow.body.canFollowUp).toBe(false);
    const again = await http('POST', `/public/v1/feedback/${trackingCode}/follow-up`, {
      body: { message: 'And again.', altcha: await proof() },
    });
    expect(again.status).toBe(409);
    await until(
      'the feedback to be reassigned',
      async () =>
        (await http<{ status: string }>('GET', `/public/v1/feedback/${trackingCode}`)).body.status ===
        'assigned'
          ? true
          : undefined,
      10_000,
    );
    // The follow-up is the citizen's new text: answered, it is not published before moderation.
    const roundTwo = async () =>
      (
        await http<{ items: FeedbackRecord[] }>(
          'GET',
          `/public/v1/projects/${cast.project.code}/records?limit=1000`,
        )
      ).body.items.find((r) => r.type === 'feedback' && r.feedback.id === id && r.feedback.round === 2);
    const answered = await http<{ status: string }>('POST', `/api/v1/feedback/${id}/answer`, {
      token: cast.officer.token,
      body: { answer: 'Re-anchored again and braced.' },
    });
    expect(answered.body.status).toBe('answered');
    expect(await roundTwo()).toBeUndefined();
    await http('POST', `/api/v1/feedback/${id}/moderate`, {
      token: cast.officer.token,
      body: { action: 'publish', reason: 'Follow-up of a safety question.' },
    });
    const published = await until('the second round', roundTwo, 10_000);
    expect(published.feedback).toMatchObject({
      followUp: 'It sways again since the storm.',
      answer: 'Re-anchored again and braced.',
    });
  });
});

describe('abuse', () => {
  it('refuses a replayed and a forged challenge, and changes nothing', async () => {
    const altcha = await proof();
    const first = await http('POST', `/public/v1/projects/${cast.project.code}/feedback`, {
      body: { category: 'question', message: 'When does the east lane reopen?', altcha },
    });
    expect(first.status).toBe(202);
    const before = await feedbackCount();
    const replay = await http<{ errors: Array<{ field: string }> }>(
      'POST',
      `/public/v1/projects/${cast.project.code}/feedback`,
      {
        body: { category: 'question', message: 'Another question, same proof.', altcha },
      },
    );
    expect(replay.status).toBe(400);
    expect(replay.body.errors.map((e) => e.field)).toContain('altcha');
    const payload = JSON.parse(Buffer.from(await proof(), 'base64').toString()) as Record<string, unknown>;
    for (const forged of [
      { ...payload, signature: '0'.repeat(64) },
      { ...payload, number: (payload.number as number) + 1 },
      { ...payload, salt: `${String(payload.salt)}x` },
    ]) {
      const res = await http('POST', `/public/v1/projects/${cast.project.code}/feedback`, {
        body: {
          category: 'question',
          message: 'Forged.',
          altcha: Buffer.from(JSON.stringify(forged)).toString('base64'),
        },
      });
      expect(res.status).toBe(400);
    }
    expect(await feedbackCount()).toBe(before);
  });

  it('counts spam and hidden feedback in public without its text', async () => {
    const spam = await submit({ category: 'complaint', message: 'Buy cheap watches at example dot com' });
    const view = await until('the spam to be assigned', async () => {
      const v = await http<{ status: string }>('GET', `/api/v1/feedback/${spam.body.id}`, {
        token: cast.officer.token,
      });
      return v.body.status === 'assigned' ? v : undefined;
    });
    expect(view.status).toBe(200);
    const moderated = await http<{ status: string }>('POST', `/api/v1/feedback/${spam.body.id}/moderate`, {
      token: cast.officer.token,
      body: { action: 'spam', reason: 'An advertisement.' },
    });
    expect(moderated.body.status).toBe('spam');
    const withheld = await until('the withheld record', async () =>
      (
        await http<{ items: FeedbackRecord[] }>(
          'GET',
          `/public/v1/projects/${cast.project.code}/records?limit=1000`,
        )
      ).body.items.find((r) => r.type === 'feedback' && r.feedback.id === spam.body.id),
    );
    expect(withheld.feedback).toMatchObject({ event: 'withheld', question: null, answer: null });
    const page = await http('GET', `/projects/${cast.project.code}?lang=en`);
    expect(page.text).not.toContain('cheap watches');
  });

  it('changes nothing for 1,000 scripted submissions without a solved challenge', async () => {
    // An API process of its own: the flood trips its per-client request limit, not the one the
    // other tests use.
    const flooded = await startApi({ LOG_LEVEL: 'fatal' });
    const before = await feedbackCount();
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          http('POST', `/public/v1/projects/${cast.project.code}/feedback`, {
            base: flooded.base,
            body: {
              category: 'complaint',
              message: `Spam ${batch}-${i}`,
              ...(i % 2 ? { altcha: 'bm90IGEgcHJvb2Y=' } : {}),
            },
          }),
        ),
      );
      statuses.push(...results.map((r) => r.status));
    }
    await flooded.app.close();
    expect(statuses).toHaveLength(1000);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(0);
    expect(await feedbackCount()).toBe(before);
  }, 120_000);

  it('refuses the same message twice within a day, and a client over its hourly limit', async () => {
    const message = 'Dust from the site covers the playground every afternoon.';
    expect((await submit({ category: 'complaint', message })).status).toBe(202);
    const duplicate = await submit({ category: 'complaint', message: `  ${message.toUpperCase()} ` });
    expect(duplicate.status).toBe(409);
    const limited = await startApi({ FEEDBACK_CLIENT_LIMIT: '2', LOG_LEVEL: 'fatal' });
    try {
      const over = await submit({ category: 'question', message: 'One more question.' }, limited.base);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('3600');
    } finally {
      await limited.app.close();
    }
  });
});

describe('a complaint left unanswered past its deadline', () => {
  let quick: ExtraApi;

  beforeAll(async () => {
    // The seoul profile with an answer deadline of two seconds.
    const dir = join(mkdtempSync(join(tmpdir(), 'openccs-profile-')), 'quick');
    cpSync(join(__dirname, '../../profiles/seoul'), dir, { recursive: true });
    const file = join(dir, 'profile.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('answerWithin: P7D', 'answerWithin: PT2S')
        .replace('contactRetention: P90D', 'contactRetention: PT2S'),
    );
    quick = await startApi({ OPENCCS_PROFILE: dir, LOG_LEVEL: 'fatal' });
  });
  afterAll(() => quick?.app.close());

  it('is published as overdue, escalates to the agency head, and counts in the agency figures', async () => {
    const res = await submit(
      {
        category: 'complaint',
        message: 'Trucks block the school entrance at 8 am.',
        contact: '+82 10 5555 0101',
      },
      quick.base,
    );
    expect(res.status).toBe(202);
    const sealed = await db().query<{ contact_sealed: string | null }>(
      'SELECT contact_sealed FROM feedback WHERE id = $1',
      [res.body.id],
    );
    expect(sealed.rows[0]?.contact_sealed).toMatch(/^v1\./);
    const overdue = await until(
      'the overdue record',
      async () => {
        const records = await http<{ items: FeedbackRecord[] }>(
          'GET',
          `/public/v1/projects/${cast.project.code}/records?limit=1000`,
        );
        return records.body.items.find(
          (r) => r.type === 'feedback' && r.feedback.id === res.body.id && r.feedback.event === 'overdue',
        );
      },
      20_000,
    );
    expect(overdue?.feedback).toMatchObject({ question: null, answer: null, onTime: false });
    const asHead = await until(
      'the escalation to the head',
      async () => {
        const view = await http<{ escalatedTo: string[] }>('GET', `/api/v1/feedback/${res.body.id}`, {
          token: cast.head.token,
        });
        return view.body.escalatedTo.includes('agency_head') ? view.body : undefined;
      },
      10_000,
    );
    expect(asHead?.escalatedTo).toEqual(['agency_head']);
    // The head, to whom it escalated, may answer it.
    const answered = await http<{ status: string }>('POST', `/api/v1/feedback/${res.body.id}/answer`, {
      token: cast.head.token,
      body: { answer: 'Deliveries now arrive after 9 am.' },
    });
    expect(answered.body.status).toBe('answered');
    const agency = await http<{
      feedback: { overdue: { count: number; records: number[] }; rounds: number };
    }>('GET', `/public/v1/agencies/${cast.agency.id}`);
    expect(agency.body.feedback.overdue.count).toBeGreaterThanOrEqual(1);
    expect(agency.body.feedback.overdue.records).toContain(overdue?.seq);
    const ok = await run('node', [VERIFIER, '--url', apiUrl(), '--figures']);
    expect(ok.stdout).toMatch(/figures match/);
    // Published and closed: the contact is kept for the retention period (two seconds here), then deleted.
    await http('POST', `/api/v1/feedback/${res.body.id}/moderate`, {
      token: cast.officer.token,
      body: { action: 'publish', reason: 'Answered.' },
    });
    const forgotten = await until(
      'the contact to be deleted',
      async () => {
        const row = (
          await db().query<{ contact_sealed: string | null; contact_forgotten_at: Date | null }>(
            'SELECT contact_sealed, contact_forgotten_at FROM feedback WHERE id = $1',
            [res.body.id],
          )
        ).rows[0];
        return row?.contact_sealed === null ? row : undefined;
      },
      20_000,
    );
    expect(forgotten).toEqual({ contact_sealed: null, contact_forgotten_at: expect.any(Date) });
    const view = await http<{ contact: string | null; contactDeleted: boolean }>(
      'GET',
      `/api/v1/feedback/${res.body.id}`,
      { token: cast.officer.token },
    );
    expect(view.body).toMatchObject({ contact: null, contactDeleted: true });
  }, 60_000);
});
