import { CALENDAR_TIME } from './deadlines';
import {
  answerFeedback,
  assignFeedback,
  escalatedRoles,
  fireFeedbackEvent,
  followUpFeedback,
  MAX_FEEDBACK_CHANGES,
  moderateFeedback,
  nextFeedbackEvent,
  receiveFeedback,
  type FeedbackActor,
  type FeedbackState,
} from './feedback';

const T0 = '2026-11-30T00:00:00.000Z';
const DAY = 86_400;
const RULES = {
  answerWithinSeconds: 7 * DAY,
  basis: CALENDAR_TIME,
  escalation: [{ afterSeconds: 0, toRole: 'agency_head' as const }],
};
const officer: FeedbackActor = {
  userId: 'u-officer',
  organization: 'Agency',
  role: 'agency_officer',
  name: 'Park',
};
const head: FeedbackActor = { userId: 'u-head', organization: 'Agency', role: 'agency_head', name: 'Choi' };

const assigned = (): FeedbackState =>
  assignFeedback(
    receiveFeedback({ id: 'f1', projectId: 'p1', category: 'safety', message: 'Loose scaffolding', at: T0 }),
    ['u-officer', 'u-supervisor', 'u-officer'],
    RULES,
    T0,
  );

const ok = (t: ReturnType<typeof answerFeedback>): FeedbackState => {
  if (!t.ok) throw new Error(t.reason);
  return t.state;
};

describe('feedback', () => {
  it('is assigned with a deadline, answered by an assignee, and published once moderated', () => {
    const s = assigned();
    expect(s).toMatchObject({
      status: 'assigned',
      assignees: ['u-officer', 'u-supervisor'],
      dueAt: '2026-12-07T00:00:00.000Z',
    });
    const answered = ok(
      answerFeedback(s, { actor: officer, text: 'Fixed today.', escalatedToActor: false }, T0),
    );
    expect(answered.status).toBe('answered');
    const closed = ok(moderateFeedback(answered, { actor: officer, action: 'publish', reason: 'ok' }, T0));
    expect(closed).toMatchObject({ status: 'closed', publishedRounds: [1] });
  });

  it('publishes on the answer when moderation came first', () => {
    const moderated = ok(
      moderateFeedback(assigned(), { actor: officer, action: 'publish', reason: 'fine' }, T0),
    );
    expect(moderated.status).toBe('assigned');
    const closed = ok(
      answerFeedback(moderated, { actor: officer, text: 'Done.', escalatedToActor: false }, T0),
    );
    expect(closed).toMatchObject({ status: 'closed', publishedRounds: [1] });
  });

  it('refuses answers from others, and anything once hidden or spam', () => {
    const s = assigned();
    expect(answerFeedback(s, { actor: head, text: 'x', escalatedToActor: false }, T0)).toMatchObject({
      ok: false,
      code: 'feedback.not_assignee',
    });
    const spam = ok(moderateFeedback(s, { actor: officer, action: 'spam', reason: 'advert' }, T0));
    expect(spam).toMatchObject({ status: 'spam', withheldRounds: [1] });
    expect(answerFeedback(spam, { actor: officer, text: 'x', escalatedToActor: false }, T0)).toMatchObject({
      code: 'feedback.closed',
    });
    expect(moderateFeedback(spam, { actor: officer, action: 'publish', reason: 'x' }, T0)).toMatchObject({
      code: 'feedback.closed',
    });
  });

  it('goes overdue at its deadline, then escalates to the agency head, who may answer', () => {
    const s = assigned();
    expect(fireFeedbackEvent(s, RULES, T0)).toBeNull();
    expect(nextFeedbackEvent(s, RULES)).toEqual({
      at: '2026-12-07T00:00:00.000Z',
      kind: 'overdue',
      level: 0,
    });
    const overdue = fireFeedbackEvent(s, RULES, '2026-12-07T00:00:00.000Z');
    expect(overdue?.fired).toBe('overdue');
    const escalated = fireFeedbackEvent(overdue?.state as FeedbackState, RULES, '2026-12-07T00:00:00.000Z');
    expect(escalated?.fired).toEqual({ level: 1, toRole: 'agency_head' });
    const state = escalated?.state as FeedbackState;
    expect(escalatedRoles(state)).toEqual(['agency_head']);
    expect(nextFeedbackEvent(state, RULES)).toBeNull();
    expect(
      ok(answerFeedback(state, { actor: head, text: 'On it.', escalatedToActor: true }, T0)).status,
    ).toBe('answered');
  });

  it('goes overdue when answered but not published by its deadline, without escalating', () => {
    const answered = ok(
      answerFeedback(assigned(), { actor: officer, text: 'Draft.', escalatedToActor: false }, T0),
    );
    const overdue = fireFeedbackEvent(answered, RULES, '2026-12-07T00:00:00.000Z');
    expect(overdue?.fired).toBe('overdue');
    expect(nextFeedbackEvent(overdue?.state as FeedbackState, RULES)).toBeNull();
  });

  it('reopens once on a follow-up, with a new round', () => {
    const closed = ok(
      moderateFeedback(
        ok(answerFeedback(assigned(), { actor: officer, text: 'Done.', escalatedToActor: false }, T0)),
        { actor: officer, action: 'publish', reason: 'ok' },
        T0,
      ),
    );
    const reopened = ok(followUpFeedback(closed, 'Still loose.', T0));
    expect(reopened).toMatchObject({ status: 'received', round: 2, followUp: { message: 'Still loose.' } });
    expect(followUpFeedback(reopened, 'Again', T0)).toMatchObject({
      ok: false,
      code: 'feedback.follow_up_used',
    });
    expect(followUpFeedback(assigned(), 'Too early', T0)).toMatchObject({
      ok: false,
      code: 'feedback.not_answered',
    });
    // The follow-up is new text: its round is published only once moderated again.
    expect(reopened.moderation).toBeNull();
    const again = assignFeedback(reopened, ['u-officer'], RULES, T0);
    const answered = ok(
      answerFeedback(again, { actor: officer, text: 'Replaced.', escalatedToActor: false }, T0),
    );
    expect(answered).toMatchObject({ status: 'answered', publishedRounds: [1] });
    const published = ok(moderateFeedback(answered, { actor: officer, action: 'publish', reason: 'ok' }, T0));
    expect(published).toMatchObject({ status: 'closed', publishedRounds: [1, 2] });
  });

  it('takes at most MAX_FEEDBACK_CHANGES answers and moderations, so its history stays bounded', () => {
    let s = assigned();
    for (let i = 0; i < MAX_FEEDBACK_CHANGES; i++)
      s = ok(answerFeedback(s, { actor: officer, text: `Answer ${i}`, escalatedToActor: false }, T0));
    expect(
      answerFeedback(s, { actor: officer, text: 'One more', escalatedToActor: false }, T0),
    ).toMatchObject({
      ok: false,
      code: 'feedback.too_many_changes',
    });
    expect(moderateFeedback(s, { actor: officer, action: 'hide', reason: 'x' }, T0)).toMatchObject({
      code: 'feedback.too_many_changes',
    });
  });
});
