/**
 * Citizen feedback on the API's side: submission without an account (a solved proof-of-work
 * challenge, hourly limits per client and per project counted in PostgreSQL, duplicates refused),
 * the tracking view, the follow-up, and what staff do — list, read, answer, moderate — through
 * the feedback's workflow, whose rules (libs/domain feedback.ts) decide. The citizen's contact is
 * sealed with AES-256-GCM before it is stored and shown only to the officials handling it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomUUID,
  type BinaryLike,
} from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import {
  answerFeedbackUpdate,
  feedbackWorkflowId,
  followUpFeedbackUpdate,
  moderateFeedbackUpdate,
  type FeedbackWorkflowInput,
} from '@openccs/contracts';
import {
  CALENDAR_TIME,
  DomainError,
  FEEDBACK_REFUSAL_CODES,
  receiveFeedback,
  type FeedbackState,
  type ProjectRole,
} from '@openccs/domain';
import {
  AuditRepository,
  FeedbackRepository,
  OrganizationsRepository,
  PublicProjectsRepository,
  UsersRepository,
  type FeedbackRow,
} from '@openccs/persistence';
import { InjectProfile, type Profile } from '@openccs/profile';
import type { Principal } from '../auth/principal';
import { byInstantAndId, paginate, type Page } from '../common/pagination';
import { rateLimited } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { ProjectAccess, seesEveryProject } from '../projects/project-access';
import { TemporalClient } from '../temporal/temporal.module';
import { WorkflowStarter } from '../temporal/workflow-starter';
import { runUpdate } from '../temporal/workflow-update';
import {
  FeedbackView,
  PublicFeedbackView,
  type AnswerFeedbackRequest,
  type FeedbackQuery,
  type FeedbackReceipt,
  type FollowUpRequest,
  type ModerateFeedbackRequest,
  type SubmitFeedbackRequest,
} from './feedback.dto';
import { createChallenge, verifySolution, type Challenge } from './proof-of-work';

const HOUR_MS = 3_600_000;
/** The same message to the same project within a day is the same feedback. */
const DUPLICATE_WINDOW_MS = 24 * HOUR_MS;
const CHALLENGE_SECONDS = 600;
const REFUSALS: ReadonlySet<string> = new Set<string>(FEEDBACK_REFUSAL_CODES);
/** Crockford's base32: no I, L, O, U to misread. */
const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MODERATOR_ROLES: readonly ProjectRole[] = ['agency_officer', 'agency_head'];
const ENDED: readonly string[] = ['closed', 'hidden', 'spam'];

const sha256 = (text: BinaryLike) => createHash('sha256').update(text).digest('hex');

/**
 * A message as duplicates are compared: canonical, case and spacing aside, invisible format
 * characters (zero-width spaces, bidi marks) ignored.
 */
const sameText = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** A tracking code as people type it back: upper case, without separators. */
export const normalizeTrackingCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

@Injectable()
export class FeedbackService {
  private readonly contactKey: Buffer;
  private readonly challengeKey: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectProfile() private readonly profile: Profile,
    private readonly feedback: FeedbackRepository,
    private readonly projects: PublicProjectsRepository,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly access: ProjectAccess,
    private readonly audit: AuditRepository,
    private readonly workflows: WorkflowStarter,
    private readonly temporal: TemporalClient,
    private readonly ds: DataSource,
  ) {
    const secret = config.feedback.secret;
    if (!secret) throw new Error('FEEDBACK_SECRET is required to take citizen feedback');
    // Two keys from one secret, each for one purpose (RFC 5869).
    this.contactKey = Buffer.from(hkdfSync('sha256', secret, 'openccs', 'feedback contact v1', 32));
    this.challengeKey = Buffer.from(
      hkdfSync('sha256', secret, 'openccs', 'feedback challenge v1', 32),
    ).toString('hex');
  }

  challenge(): Challenge {
    return createChallenge({
      hmacKey: this.challengeKey,
      maxNumber: this.config.feedback.powMaxNumber,
      expiresInSeconds: CHALLENGE_SECONDS,
    });
  }

  async submit(code: string, body: SubmitFeedbackRequest, client: string): Promise<FeedbackReceipt> {
    const project = await this.projects.byCode(code);
    if (!project) throw new DomainError('project.not_found', `No project ${code}.`);
    const proof = this.proof(body.altcha);
    const clientHash = this.clientHash(client);
    const message = body.message.trim();
    const messageHash = sha256(sameText(message));
    const now = new Date();
    const id = randomUUID();
    const trackingCode = Array.from(randomBytes(12), (b) => TRACKING_ALPHABET[b % 32]).join('');
    // The challenge is spent first, in a transaction of its own: whatever happens next (a
    // duplicate, a limit), it bought one attempt, and counts against the client's limit.
    await this.spend(proof, clientHash, project.id);
    await this.ds.transaction(async (tx) => {
      if (
        await this.feedback.duplicateSince(
          project.id,
          messageHash,
          new Date(now.getTime() - DUPLICATE_WINDOW_MS),
        )
      )
        throw new DomainError(
          'feedback.duplicate',
          'The same message reached this project within the last day; it is being handled.',
          'message',
        );
      const state = receiveFeedback({
        id,
        projectId: project.id,
        category: body.category,
        message,
        at: now.toISOString(),
      });
      await this.feedback.insert(tx, {
        id,
        projectId: project.id,
        trackingHash: sha256(trackingCode),
        category: body.category,
        messageHash,
        clientHash,
        contactSealed: body.contact ? this.seal(body.contact.trim()) : null,
        state,
      });
      await this.workflows.feedback(this.workflowInput(state));
    });
    return {
      id,
      trackingCode: `${trackingCode.slice(0, 4)}-${trackingCode.slice(4, 8)}-${trackingCode.slice(8)}`,
    };
  }

  async track(trackingCode: string): Promise<PublicFeedbackView> {
    const row = await this.byTrackingCode(trackingCode);
    return PublicFeedbackView.of(row.state, row.projectCode, row.contactForgottenAt !== null);
  }

  /** The citizen's one follow-up, with a solved challenge like a submission. */
  async followUp(trackingCode: string, body: FollowUpRequest, client: string): Promise<PublicFeedbackView> {
    const row = await this.byTrackingCode(trackingCode);
    const proof = this.proof(body.altcha);
    const clientHash = this.clientHash(client);
    await this.spend(proof, clientHash, null);
    const state = await this.command(row.id, (handle) =>
      handle.executeUpdate(followUpFeedbackUpdate, {
        args: [{ message: body.message.trim(), at: new Date().toISOString() }],
      }),
    );
    return PublicFeedbackView.of(state, row.projectCode);
  }

  /** Feedback `actor` handles (everything for administrators and auditors, unless `mine`). */
  async list(actor: Principal, query: FeedbackQuery, mine = false): Promise<Page<FeedbackView>> {
    const page = await paginate(
      query,
      (p) =>
        this.feedback.forStaff(
          actor.id,
          { all: !mine && seesEveryProject(actor), ...(query.status ? { status: query.status } : {}) },
          p,
        ),
      byInstantAndId('createdAt', 'id'),
      (row) => row,
    );
    const items: FeedbackView[] = [];
    // One membership read per project, not per feedback.
    const roles = new Map<string, ProjectRole | null>();
    for (const row of page.items) {
      if (!roles.has(row.projectId))
        roles.set(row.projectId, await this.access.roleOf(row.projectId, actor.id));
      items.push(this.view(row, row.projectCode, actor, roles.get(row.projectId) ?? null));
    }
    return { items, nextCursor: page.nextCursor };
  }

  async get(id: string, actor: Principal): Promise<FeedbackView> {
    const { row, code, role } = await this.readable(id, actor);
    return this.view(row, code, actor, role);
  }

  async answer(id: string, body: AnswerFeedbackRequest, ctx: RequestContext): Promise<FeedbackView> {
    const { row, code, role } = await this.readable(id, ctx.actor);
    const actor = await this.actorFacts(ctx.actor, role);
    const state = await this.command(id, (handle) =>
      handle.executeUpdate(answerFeedbackUpdate, {
        args: [{ actor, text: body.answer.trim(), actorRoles: role ? [role] : [] }],
        updateId: ctx.requestKey,
      }),
    );
    await this.audited(ctx, 'feedback.answer', id, { round: state.round });
    return this.view({ ...row, state }, code, ctx.actor, role);
  }

  async moderate(id: string, body: ModerateFeedbackRequest, ctx: RequestContext): Promise<FeedbackView> {
    const { row, code, role } = await this.readable(id, ctx.actor);
    if (!role || !MODERATOR_ROLES.includes(role))
      throw new DomainError(
        'feedback.not_assignee',
        "Feedback is moderated by the project's agency officers and agency head.",
      );
    const actor = await this.actorFacts(ctx.actor, role);
    const state = await this.command(id, (handle) =>
      handle.executeUpdate(moderateFeedbackUpdate, {
        args: [{ actor, action: body.action, reason: body.reason.trim() }],
        updateId: ctx.requestKey,
      }),
    );
    await this.audited(ctx, 'feedback.moderate', id, { action: body.action, reason: body.reason.trim() });
    return this.view({ ...row, state }, code, ctx.actor, role);
  }

  private workflowInput(state: FeedbackState): FeedbackWorkflowInput {
    const f = this.profile.feedback;
    return {
      id: state.id,
      projectId: state.projectId,
      category: state.category,
      message: state.message,
      receivedAt: state.receivedAt,
      rules: {
        routes: f.routes,
        answerWithinSeconds: f.answerWithinSeconds,
        basis: CALENDAR_TIME,
        escalation: f.escalation,
        retentionSeconds: f.contactRetentionSeconds,
      },
    };
  }

  private proof(payload: string) {
    const verdict = verifySolution(payload, { hmacKey: this.challengeKey });
    if (!verdict.ok)
      throw new DomainError(
        'feedback.challenge_failed',
        `The proof of work was refused (${verdict.reason}): solve a fresh challenge from GET /public/v1/feedback/challenge.`,
        'altcha',
      );
    return verdict;
  }

  /**
   * Spends a verified challenge for a client, within its hourly limit (and the project's): under
   * the client's advisory lock, so a burst is counted one request at a time.
   */
  private async spend(
    proof: { challenge: string; expiresAt: Date },
    clientHash: string,
    projectId: string | null,
  ): Promise<void> {
    await this.ds.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [clientHash]);
      await this.withinLimits(clientHash, projectId);
      if (!(await this.feedback.spendChallenge(tx, proof.challenge, proof.expiresAt, clientHash)))
        throw this.replayed();
    });
  }

  private replayed(): DomainError {
    return new DomainError(
      'feedback.challenge_failed',
      'This challenge was used already: solve a fresh one from GET /public/v1/feedback/challenge.',
      'altcha',
    );
  }

  /**
   * A client's submissions and follow-ups this hour (its spent challenges) and a project's
   * feedback this hour, against their limits. Called under the client's advisory lock, so a
   * burst is counted one request at a time.
   */
  private async withinLimits(clientHash: string, projectId: string | null): Promise<void> {
    const since = new Date(Date.now() - HOUR_MS);
    // Counted over the last hour: trying again in an hour always helps.
    if ((await this.feedback.spentBy(clientHash, since)) >= this.config.feedback.clientLimit)
      throw rateLimited(
        'feedback.too_many',
        `At most ${this.config.feedback.clientLimit} feedback an hour from one address; try again later.`,
        3600,
      );
    if (
      projectId &&
      (await this.feedback.receivedSince(projectId, since)) >= this.config.feedback.projectLimit
    )
      throw rateLimited(
        'feedback.too_many',
        'This project receives a lot of feedback right now; try again later.',
        600,
      );
  }

  /** A client's address as a keyed hash: counted without being kept. */
  private clientHash(client: string): string {
    return createHmac('sha256', this.contactKey).update(`client:${client}`).digest('hex');
  }

  private seal(contact: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.contactKey, iv);
    const sealed = Buffer.concat([cipher.update(contact, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      sealed.toString('base64'),
    ].join('.');
  }

  private open(sealed: string): string | null {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !data) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.contactKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // Sealed under another FEEDBACK_SECRET: unreadable, not an error of the request.
      return null;
    }
  }

  private async byTrackingCode(trackingCode: string) {
    const normalized = normalizeTrackingCode(trackingCode);
    const row = normalized.length === 12 ? await this.feedback.byTrackingHash(sha256(normalized)) : undefined;
    if (!row) throw new DomainError('feedback.not_found', 'No feedback with this tracking code.');
    return row;
  }

  /**
   * The feedback, if `actor` handles it (assigned, escalated to their role, or an agency role on
   * its project) or reads everything (administrators, auditors); else not found.
   */
  private async readable(id: string, actor: Principal) {
    const row = await this.feedback.byId(id);
    const role = row ? await this.access.roleOf(row.projectId, actor.id) : null;
    if (!row || (!this.handles(row, actor, role) && !seesEveryProject(actor)))
      throw new DomainError('feedback.not_found', `No feedback ${id} that you handle.`);
    const project = await this.projects.codeOf(row.projectId);
    return { row, role, code: project ?? '' };
  }

  /**
   * Whether `actor` handles the feedback now: only a current member of its project — one it was
   * assigned to, one holding a role it is routed or escalated to, or a moderator. Someone who
   * left the project no longer does, whatever the assignee list says.
   */
  private handles(row: FeedbackRow, actor: Principal, role: ProjectRole | null): boolean {
    return role !== null && (this.answers(row, actor, role) || MODERATOR_ROLES.includes(role));
  }

  /** Whether `actor` (a current member in `role`) is one of those who answer it now. */
  private answers(row: FeedbackRow, actor: Principal, role: ProjectRole | null): boolean {
    if (role === null) return false;
    return (
      row.assignees.includes(actor.id) ||
      row.escalatedRoles.includes(role) ||
      this.profile.feedback.routes[row.category].includes(role)
    );
  }

  private view(row: FeedbackRow, code: string, actor: Principal, role: ProjectRole | null): FeedbackView {
    const s = row.state;
    // The contact is for the officials answering it, not for everyone who may read the feedback.
    const answering = this.answers(row, actor, role);
    return {
      id: s.id,
      projectId: s.projectId,
      projectCode: code,
      category: s.category,
      status: s.status,
      message: s.message,
      followUp: s.followUp?.message ?? null,
      receivedAt: s.receivedAt,
      dueAt: s.dueAt,
      assignees: [...s.assignees],
      escalatedTo: s.escalations.filter((e) => e.round === s.round).map((e) => e.toRole),
      answer: s.answer?.text ?? null,
      answeredAt: s.answer?.at ?? null,
      moderation: s.moderation?.action ?? null,
      moderationReason: s.moderation?.reason ?? null,
      contact: answering && row.contactSealed ? this.open(row.contactSealed) : null,
      contactDeleted: row.contactForgottenAt !== null,
      mayAnswer: answering && !ENDED.includes(s.status),
      mayModerate: role !== null && MODERATOR_ROLES.includes(role) && !ENDED.includes(s.status),
    };
  }

  private async actorFacts(actor: Principal, role: ProjectRole | null) {
    const user = await this.users.findById(actor.id);
    const organization = await this.organizations.findById(actor.organizationId);
    if (!user || !organization) throw new Error(`user ${actor.id} or their organization is gone`);
    return {
      userId: actor.id,
      organization: organization.name,
      role: role ?? 'observer',
      name: user.displayName,
    };
  }

  private async audited(ctx: RequestContext, action: string, id: string, details: Record<string, unknown>) {
    await this.audit.record(this.ds.manager, {
      actorUserId: ctx.actor.id,
      action,
      subjectType: 'feedback',
      subjectId: id,
      requestId: ctx.requestId,
      details,
    });
  }

  /** An update to the feedback's workflow; refusals come back as the domain's codes. */
  private async command(
    id: string,
    run: (handle: ReturnType<TemporalClient['client']['workflow']['getHandle']>) => Promise<FeedbackState>,
  ): Promise<FeedbackState> {
    const { client } = this.temporal;
    try {
      return await runUpdate(client, REFUSALS, () => run(client.workflow.getHandle(feedbackWorkflowId(id))));
    } catch (err) {
      // Its workflow ended after the retention period: nothing reopens it.
      if (err instanceof WorkflowNotFoundError)
        throw new DomainError('feedback.closed', 'This feedback is closed for good.');
      throw err;
    }
  }
}
