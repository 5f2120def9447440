import type { StepTemplate } from './approval-line';
import { CALENDAR_TIME } from './deadlines';
import { effectsOf, isFinished, stepToOpen } from './effects';
import { resolveEscalation, type Fired } from './escalation';
import { legacyKind } from './kinds';
import { decide, openStep, resubmit, submit, withdraw, type ReportState, type Transition } from './report';

const NOW = '2026-11-25T10:00:00.000Z';
const step = (key: string, assigneeRole: 'supervisor' | 'agency_officer', pub = true): StepTemplate => ({
  key,
  name: key,
  assigneeRole,
  mode: 'any',
  sla: 'PT72H',
  escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
  public: pub,
});
const MEMBERS = { supervisor: ['s1'], agency_officer: ['o1'] } as const;

/** Opens what the effects say to open, as the workflow does; returns the state and what is left to do. */
function settle(before: ReportState | null, after: ReportState, fired: readonly Fired[] = []) {
  const first = effectsOf(before, after, fired);
  if (first.opens === null) return { state: after, first, effects: first };
  const role = after.steps[first.opens]?.assigneeRole as keyof typeof MEMBERS;
  const opened = openStep(after, first.opens, MEMBERS[role], NOW);
  return { state: opened, first, effects: effectsOf(before, opened, fired) };
}
const applied = (t: Transition): ReportState => {
  if (!t.ok) throw new Error(t.reason);
  return t.state;
};

/** A submission, before its first step opens. */
function draft(): ReportState {
  return submit(
    {
      reportId: 'r1',
      projectId: 'p1',
      kind: 'design_change',
      kindSnapshot: legacyKind('design_change'),
      submitterId: 'c1',
      lineVersion: 1,
      line: [step('sv', 'supervisor'), step('of', 'agency_officer', false)],
      title: 'Widen the abutment',
      body: {},
      publicSummary: null,
      amount: null,
      timing: { basis: CALENDAR_TIME, reminderPoints: [] },
    },
    NOW,
  ).state;
}

const submitted = (): ReportState => settle(null, draft()).state;

describe('effectsOf: what a change sets in motion', () => {
  it('opens the first step of a submission, then tells its assignees, publishing nothing', () => {
    const { first, effects } = settle(null, draft());
    expect(first).toEqual({ opens: 0, publish: [], notify: [] });
    expect(effects.opens).toBeNull();
    expect(effects.publish).toEqual([]);
    expect(effects.notify).toEqual([
      expect.objectContaining({ kind: 'assignment', to: { userIds: ['s1'] } }),
    ]);
  });

  it('publishes the step an approval finished, opens the next, and tells both the submitter and the new assignee', () => {
    const before = submitted();
    const { state, first, effects } = settle(
      before,
      applied(decide(before, { actorId: 's1', action: 'approve' }, NOW)),
    );
    expect(first.opens).toBe(1);
    expect(effects.publish).toEqual(['sv']);
    expect(effects.notify.map((n) => [n.kind, n.to])).toEqual([
      ['assignment', { userIds: ['o1'] }],
      ['decision', { userIds: ['c1'] }],
    ]);
    // The last step is not public: the rules of the record (libs/disclosure) decide that; the
    // effects still name every finished step, as recorded histories expect.
    const last = settle(state, applied(decide(state, { actorId: 'o1', action: 'approve' }, NOW)));
    expect([last.effects.opens, last.effects.publish, last.state.status]).toEqual([null, ['of'], 'approved']);
  });

  it('publishes a returned step and opens nothing; a resubmission opens the first step again and publishes nothing', () => {
    const before = submitted();
    const returned = settle(before, applied(decide(before, { actorId: 's1', action: 'return' }, NOW)));
    expect([returned.effects.opens, returned.effects.publish]).toEqual([null, ['sv']]);
    const again = settle(
      returned.state,
      applied(resubmit(returned.state, { actorId: 'c1', changes: { title: 'Widen it more' } }, NOW)),
    );
    expect([again.first.opens, again.effects.publish]).toEqual([0, []]);
  });

  it('publishes nothing for a withdrawal, and a decision on behalf is published like any other', () => {
    const before = submitted();
    expect(settle(before, applied(withdraw(before, 'c1', NOW))).effects.publish).toEqual([]);
    const escalated: ReportState = {
      ...before,
      steps: before.steps.map((s, i) =>
        i === 0
          ? {
              ...s,
              escalations: [
                {
                  id: 'e1',
                  reason: 'overdue',
                  stepKey: 'sv',
                  revision: 1,
                  level: 0,
                  toRole: 'agency_head',
                  generation: 0,
                  dueAt: NOW,
                  openedAt: NOW,
                  status: 'open',
                  resolution: null,
                },
              ],
            }
          : s,
      ),
    };
    const onBehalf = applied(
      resolveEscalation(
        escalated,
        {
          escalationId: 'e1',
          actorId: 'h1',
          actorRole: 'agency_head',
          action: 'reject',
          justification: 'Unsafe',
        },
        NOW,
      ),
    );
    expect(settle(escalated, onBehalf).effects.publish).toEqual(['sv']);
  });
});

describe('stepToOpen and isFinished', () => {
  it('names the first waiting step only when the review waits for one', () => {
    const s = submitted();
    expect(stepToOpen(s)).toBeNull();
    expect(stepToOpen({ ...s, currentStep: null })).toBe(1);
    expect(stepToOpen({ ...s, currentStep: null, status: 'returned' })).toBeNull();
  });

  it.each([
    ['approved', true],
    ['rejected', true],
    ['returned', true],
    ['skipped', false],
    ['waiting', false],
    ['active', false],
  ] as const)('%s is finished: %s', (status, finished) => {
    expect(isFinished({ status })).toBe(finished);
  });
});
