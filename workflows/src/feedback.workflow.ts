/**
 * One citizen's feedback, the source of truth for its state (libs/domain feedback.ts): assigned to
 * the holders of the roles its category is routed to, with an answer deadline; overdue at the
 * deadline (published as such) and then escalated to the agency head, like a step; answered and
 * moderated through Updates whose validators run the domain rules, so a refusal is synchronous
 * and changes nothing; published as a record of the log once answered and moderated for
 * publication; reopened once by the citizen's follow-up. After it ends, the citizen's contact is
 * kept for the profile's retention period and then deleted.
 *
 * Started inside the transaction that stores the feedback: the first projection retries until
 * that commit is visible and gives up (ending this workflow, harmlessly) if it rolled back.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  answerFeedbackUpdate,
  feedbackStateQuery,
  followUpFeedbackUpdate,
  moderateFeedbackUpdate,
  type FeedbackActivities,
  type FeedbackWorkflowInput,
} from '@openccs/contracts';
import {
  answerFeedback,
  assignFeedback,
  CALENDAR_TIME,
  escalatedRoles,
  fireFeedbackEvent,
  followUpFeedback,
  moderateFeedback,
  nextFeedbackEvent,
  receiveFeedback,
  type FeedbackState,
  type FeedbackTransition,
} from '@openccs/domain';

const activities = proxyActivities<FeedbackActivities>({
  startToCloseTimeout: '10 seconds',
  // An outage delays the feedback, never loses it.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const firstProjection = proxyActivities<Pick<FeedbackActivities, 'projectFeedback'>>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 10,
  },
});

const now = (): string => new Date().toISOString();
const ended = (s: FeedbackState) => s.status === 'closed' || s.status === 'hidden' || s.status === 'spam';

/** A refusal as the failure the caller receives: its type is the domain's refusal code. */
function accepted(t: FeedbackTransition): FeedbackState {
  if (!t.ok) throw ApplicationFailure.create({ type: t.code, message: t.reason, nonRetryable: true });
  return t.state;
}

export async function feedbackWorkflow(input: FeedbackWorkflowInput): Promise<void> {
  const rules = { ...input.rules, basis: CALENDAR_TIME };
  let state = receiveFeedback({
    id: input.id,
    projectId: input.projectId,
    category: input.category,
    message: input.message,
    at: input.receivedAt,
  });
  let version = 0;
  let busy = false;

  const save = async (next: FeedbackState) => {
    const published = next.publishedRounds.filter((r) => !state.publishedRounds.includes(r));
    const withheld = (next.withheldRounds ?? []).filter((r) => !(state.withheldRounds ?? []).includes(r));
    state = next;
    version += 1;
    await activities.projectFeedback(state, version);
    for (const round of published) await activities.publishFeedback(state, round, 'answered');
    for (const round of withheld) await activities.publishFeedback(state, round, 'withheld');
  };

  /** One change at a time: the transition is checked again once it holds the lock. */
  const apply = async (change: () => FeedbackTransition): Promise<FeedbackState> => {
    await condition(() => !busy);
    busy = true;
    try {
      await save(accepted(change()));
      return state;
    } finally {
      busy = false;
    }
  };

  // Holders of a role it is routed or escalated to answer it, whoever held the role when it was
  // assigned (the API lets only current members of the project through).
  const answeringRoles = () => [...input.rules.routes[input.category], ...escalatedRoles(state)];

  setHandler(feedbackStateQuery, () => state);
  setHandler(
    answerFeedbackUpdate,
    (args) =>
      apply(() =>
        answerFeedback(
          state,
          {
            actor: args.actor,
            text: args.text,
            escalatedToActor: answeringRoles().some((r) => args.actorRoles.includes(r)),
          },
          now(),
        ),
      ),
    {
      validator: (args) => {
        accepted(
          answerFeedback(
            state,
            {
              actor: args.actor,
              text: args.text,
              escalatedToActor: answeringRoles().some((r) => args.actorRoles.includes(r)),
            },
            now(),
          ),
        );
      },
    },
  );
  setHandler(moderateFeedbackUpdate, (args) => apply(() => moderateFeedback(state, args, now())), {
    validator: (args) => {
      accepted(moderateFeedback(state, args, now()));
    },
  });
  setHandler(followUpFeedbackUpdate, (args) => apply(() => followUpFeedback(state, args.message, args.at)), {
    validator: (args) => {
      accepted(followUpFeedback(state, args.message, args.at));
    },
  });

  const assign = async () => {
    const assignees = await activities.feedbackAssignees(input.projectId, input.rules.routes[input.category]);
    await save(assignFeedback(state, assignees, rules, now()));
  };

  busy = true;
  state = assignFeedback(
    state,
    await activities.feedbackAssignees(input.projectId, input.rules.routes[input.category]),
    rules,
    now(),
  );
  version = 1;
  await firstProjection.projectFeedback(state, version);
  busy = false;

  for (;;) {
    if (ended(state)) {
      // Kept for the retention period, in case the citizen follows up; then the contact goes.
      const seen = version;
      const reopened = await condition(() => version !== seen, input.rules.retentionSeconds * 1000);
      if (!reopened) {
        await activities.forgetFeedbackContact(state.id);
        return;
      }
      continue;
    }
    if (state.status === 'received') {
      busy = true;
      try {
        await assign();
      } finally {
        busy = false;
      }
      continue;
    }
    const next = nextFeedbackEvent(state, rules);
    const seen = version;
    if (next) await condition(() => version !== seen, Math.max(1, Date.parse(next.at) - Date.now()));
    else await condition(() => version !== seen);
    await condition(() => !busy);
    const fired = fireFeedbackEvent(state, rules, now());
    if (!fired) continue;
    busy = true;
    try {
      await save(fired.state);
      if (fired.fired === 'overdue') await activities.publishFeedback(state, state.round, 'overdue');
    } finally {
      busy = false;
    }
  }
}
