/**
 * The staff console's pages and forms. Every action calls the service the JSON API calls, with
 * the same validation (the one pipe, on the API's own request classes); a page shows the
 * services' answers and decides nothing. Forms post, then redirect (303); a refusal shows the
 * page again with its reason and changes nothing.
 */
import {
  All,
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { DomainError, REPORT_STATUSES, type KindSnapshot, type ReportStatus } from '@openccs/domain';
import { InjectProfile, kindOf, kindProblem, type Profile } from '@openccs/profile';
import { AuditLogRepository, ConsoleSessionsRepository, UsersRepository } from '@openccs/persistence';
import { TokenRequest } from '../auth/auth.dto';
import { ChangePasswordRequest } from '../users/users.dto';
import { UsersService } from '../users/users.service';
import { oneTimePasswordRefusal } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import { ClientKey } from '../common/client-address';
import { invalidRequest, ProblemException } from '../common/problem';
import type { AuthenticatedRequest, RequestContext } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { FeedbackService } from '../feedback/feedback.service';
import { FilesService } from '../files/files.service';
import { fileId } from '../files/file-id';
import { sendFile } from '../files/send-file';
import { NotificationsService } from '../notifications/notifications.service';
import { ProjectsService } from '../projects/projects.service';
import { ApprovalLinesService } from '../approval-lines/approval-lines.service';
import { ResolveEscalationRequest } from '../escalations/escalations.dto';
import { EscalationsService } from '../escalations/escalations.service';
import { html } from '../portal/html';
import {
  DecisionRequest,
  DelegationRequest,
  ResubmitRequest,
  SubmitReportRequest,
  type ReportView,
} from '../reports/reports.dto';
import { ReportsService } from '../reports/reports.service';
import { ConsoleFrames } from './console-frame';
import { ConsoleFilter, refusalOf, type ConsoleRefusal } from './console.filter';
import {
  clearCookie,
  ConsolePage,
  cookieOf,
  LOGIN_COOKIE,
  SESSION_COOKIE,
  setCookie,
  tokensMatch,
} from './session';
import { receiveForm, type ReceivedForm } from './multipart';
import {
  errorPage,
  escalationForm,
  escalationsPage,
  inboxPage,
  kindChooser,
  loginPage,
  notificationsPage,
  projectPage,
  projectsPage,
  refusalBox,
  reportForm,
  reportPage,
  type ReportFormView,
} from './views';
import { IdempotencyInterceptor } from '../common/idempotency';

type Form = Record<string, unknown>;

const SHA256 = /^[0-9a-f]{64}$/;

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** The text fields of a form, to show them again (a field sent twice shows its first value). */
function textValues(fields: ReceivedForm['fields']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([name, value]) => {
      const v = first(value);
      return v === undefined || name.startsWith('_') ? [] : [[name, v]];
    }),
  );
}

/**
 * A report form's fields as the JSON API's request has them: the body's fields by their schema's
 * types (what cannot be read as its type is passed on as typed, for the validation to name), the
 * amount in the profile's currency. Empty fields are left out, as an HTML form cannot leave one out.
 */
function reportFields(
  fields: ReceivedForm['fields'],
  kind: KindSnapshot,
  currency: string,
): { title?: string; publicSummary?: string; body?: Record<string, unknown>; amount?: unknown } {
  const text = (name: string) => {
    const v = first(fields[name]);
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const properties = (kind.body as { properties?: Record<string, { type?: string }> }).properties ?? {};
  const body: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(properties)) {
    const raw = text(`body.${name}`);
    if (raw === undefined) continue;
    if (p.type === 'integer') body[name] = /^-?\d{1,15}$/.test(raw.trim()) ? Number(raw) : raw;
    else if (p.type === 'number') body[name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else if (p.type === 'boolean') body[name] = raw === 'true';
    else body[name] = raw;
  }
  const amount = text('amount');
  const title = text('title');
  const publicSummary = text('publicSummary');
  return {
    ...(title !== undefined ? { title } : {}),
    ...(publicSummary !== undefined ? { publicSummary } : {}),
    ...(Object.keys(body).length > 0 ? { body } : {}),
    ...(amount !== undefined
      ? { amount: { value: Number.isFinite(Number(amount)) ? Number(amount) : amount, currency } }
      : {}),
  };
}

const attachmentsOf = (files: ReadonlyArray<{ id: string }>, publish: boolean) =>
  files.map((f) => ({ fileId: f.id, ...(publish ? { public: true } : {}) }));

/** A refusal's field errors by the form's field names (`body.reason`, `attachments`, …). */
function fieldErrors(err: unknown): Record<string, string> {
  const errors =
    err instanceof ProblemException
      ? (err.problem.errors ?? [])
      : err instanceof DomainError
        ? (err.fieldErrors ?? [])
        : [];
  const byField: Record<string, string> = {};
  for (const e of errors) {
    // The form has one field where the request has several (amount.value, attachments[2].fileId).
    const name = e.field.replace(/^(amount|attachments)[[.].*$/, '$1');
    byField[name] ??= e.message;
  }
  return byField;
}

/** A report's current content as its form's fields. */
function valuesOf(report: ReportView): Record<string, string> {
  return {
    title: report.title,
    ...(report.publicSummary ? { publicSummary: report.publicSummary } : {}),
    ...(report.amount ? { amount: String(report.amount.value) } : {}),
    ...Object.fromEntries(
      Object.entries(report.body).map(([name, value]) => [`body.${name}`, String(value)]),
    ),
  };
}

/** A console path to return to after signing in; nothing else (no open redirect). */
function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !/^\/console(\/[A-Za-z0-9/_?=&.-]*)?$/.test(value)) return '/console';
  // No `.` or `..` segment, which a browser resolves out of /console.
  const path = value.split('?')[0] ?? '';
  return path.split('/').some((segment) => segment === '.' || segment === '..') ? '/console' : value;
}

@ApiExcludeController()
@UseFilters(ConsoleFilter)
@UseInterceptors(IdempotencyInterceptor)
@Controller('console')
export class ConsoleController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectProfile() private readonly profile: Profile,
    private readonly frames: ConsoleFrames,
    private readonly auth: AuthService,
    private readonly sessions: ConsoleSessionsRepository,
    private readonly reports: ReportsService,
    private readonly projects: ProjectsService,
    private readonly lines: ApprovalLinesService,
    private readonly escalations: EscalationsService,
    private readonly notifications: NotificationsService,
    private readonly files: FilesService,
    private readonly users: UsersRepository,
    private readonly audit: AuditLogRepository,
    private readonly feedback: FeedbackService,
    private readonly userAccounts: UsersService,
  ) {}

  // ── Signing in and out ────────────────────────────────────────────────────────────────────

  @ConsolePage({ signedIn: false })
  @Get('login')
  async loginForm(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.showLogin(req, res, { next: safeNext(req.query.next), username: '' });
  }

  @ConsolePage({ signedIn: false })
  @Post('login')
  async login(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
    @ClientKey() client: string,
  ): Promise<void> {
    const next = safeNext(form.next);
    const username = typeof form.username === 'string' ? form.username : '';
    // Login CSRF: the form must come from a page this browser loaded (double-submit cookie).
    if (!tokensMatch(form._csrf, cookieOf(req, LOGIN_COOKIE, this.frames.secure))) {
      const refusal = refusalOf(new ProblemException('csrf_failed', 'The sign-in form expired; try again.'));
      return this.showLogin(req, res, { next, username }, refusal);
    }
    try {
      const credentials = await this.frames.parse(TokenRequest, { username, password: form.password });
      let user = await this.auth.authenticate(credentials, client);
      // A one-time password (an operator's reset) opens no session until its holder chooses a
      // new one, on this form, under the API's own rule for changing one's password.
      if (user.passwordOneTime) {
        if (typeof form.newPassword !== 'string' || form.newPassword === '')
          throw oneTimePasswordRefusal(user.id);
        const change = await this.frames.parse(ChangePasswordRequest, {
          currentPassword: credentials.password,
          newPassword: form.newPassword,
        });
        await this.userAccounts.changePassword(user.id, change, {
          actor: {
            id: user.id,
            username: user.username,
            systemRole: user.systemRole,
            organizationId: user.organizationId,
          },
          requestId: typeof req.id === 'string' ? req.id : null,
          requestKey: `r:${randomUUID()}`,
          idempotent: false,
        });
        user = (await this.users.findById(user.id)) ?? user;
      }
      const token = await this.sessions.start(user.id, user.tokenVersion, this.config.auth.sessionMaxSeconds);
      setCookie(res, SESSION_COOKIE, token, this.frames.secure);
      clearCookie(res, LOGIN_COOKIE, this.frames.secure);
      this.frames.redirect(res, next);
    } catch (err) {
      if (!(err instanceof DomainError || err instanceof ProblemException)) throw err;
      if (err instanceof ProblemException)
        for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
      const oneTime = typeof form.newPassword === 'string' && form.newPassword !== '';
      await this.showLogin(req, res, { next, username, oneTime }, refusalOf(err));
    }
  }

  @ConsolePage()
  @Post('logout')
  async logout(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const token = cookieOf(req, SESSION_COOKIE, this.frames.secure);
    if (token) await this.sessions.end(token);
    clearCookie(res, SESSION_COOKIE, this.frames.secure);
    this.frames.redirect(res, '/console/login');
  }

  private async showLogin(
    req: AuthenticatedRequest,
    res: Response,
    form: { next: string; username: string; oneTime?: boolean },
    refusal?: ConsoleRefusal,
  ): Promise<void> {
    const loginToken =
      cookieOf(req, LOGIN_COOKIE, this.frames.secure) ?? randomBytes(24).toString('base64url');
    setCookie(res, LOGIN_COOKIE, loginToken, this.frames.secure);
    const frame = await this.frames.frame(req, res);
    const page = loginPage(frame, { ...form, loginToken }, refusal);
    this.frames.send(res, frame, frame.t.t('console.signIn.heading'), page, refusal?.status ?? 200);
  }

  // ── The inbox ─────────────────────────────────────────────────────────────────────────────

  @ConsolePage()
  @Get()
  async inbox(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const actor = actorOf(req);
    const kinds = this.profile.kinds.map((k) => k.key);
    const projects = (await this.projects.list({ limit: 200 }, actor)).items;
    // Unknown filter values are ignored, not refused: a stale bookmark still opens the inbox.
    const filter = {
      ...inboxFilter(
        query,
        kinds,
        projects.map((p) => p.id),
      ),
      order: query.order === 'opened' ? ('opened' as const) : ('due' as const),
    };
    const items = await this.reports.inboxList(actor, filter);
    // Feedback to answer, or answered and waiting for moderation.
    const feedback = (await this.feedback.list(actor, { limit: 100 }, true)).items.filter((f) =>
      ['received', 'assigned', 'answered'].includes(f.status),
    );
    const frame = await this.frames.frame(req, res);
    const page = inboxPage(frame, {
      items,
      feedback,
      filter,
      projects,
      kinds,
      now: new Date().toISOString(),
      state: inboxState(items),
    });
    this.frames.send(res, frame, frame.t.t('console.inbox.heading'), page);
  }

  /** What the inbox lists now, as a short fingerprint: the page's script reloads when it changes. */
  @ConsolePage()
  @Get('inbox/state')
  async inboxState(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const kinds = this.profile.kinds.map((k) => k.key);
    const projects = (await this.projects.list({ limit: 200 }, actor)).items.map((p) => p.id);
    const items = await this.reports.inboxList(actor, inboxFilter(req.query, kinds, projects));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ state: inboxState(items), count: items.length });
  }

  // ── A report ──────────────────────────────────────────────────────────────────────────────

  @ConsolePage()
  @Get('reports/:reportId')
  async report(
    @UuidParam('reportId') reportId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.showReport(req, res, reportId, { done: req.query.done === '1' });
  }

  @ConsolePage()
  @Post('reports/:reportId/decisions')
  decide(
    @UuidParam('reportId') reportId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    return this.act(req, res, reportId, form, async (ctx) => {
      const body = await this.frames.parse(DecisionRequest, form);
      await this.reports.decide(reportId, body, ctx);
    });
  }

  @ConsolePage()
  @Post('reports/:reportId/delegations')
  delegate(
    @UuidParam('reportId') reportId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    return this.act(req, res, reportId, form, async (ctx) => {
      const body = await this.frames.parse(DelegationRequest, form);
      await this.reports.delegate(reportId, body, ctx);
    });
  }

  @ConsolePage()
  @Post('reports/:reportId/withdraw')
  withdraw(
    @UuidParam('reportId') reportId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    return this.act(req, res, reportId, form, (ctx) => this.reports.withdraw(reportId, ctx));
  }

  /** Runs one form's command: on success back to the report, on a refusal the page with its reason. */
  private async act(
    req: AuthenticatedRequest,
    res: Response,
    reportId: string,
    form: Form,
    command: (ctx: RequestContext) => Promise<unknown>,
  ): Promise<void> {
    try {
      await command(this.frames.contextOf(req, form));
    } catch (err) {
      if (!(err instanceof DomainError || err instanceof ProblemException)) throw err;
      // "No such report" is a page of its own, not a refusal on a page the reader may not see.
      if (err instanceof DomainError && err.code === 'report.not_found') throw err;
      const comment = typeof form.comment === 'string' ? form.comment : undefined;
      return this.showReport(req, res, reportId, {
        refusal: refusalOf(err),
        ...(comment !== undefined ? { comment } : {}),
      });
    }
    this.frames.redirect(res, `/console/reports/${reportId}?done=1`);
  }

  private async showReport(
    req: AuthenticatedRequest,
    res: Response,
    reportId: string,
    extra: {
      done?: boolean;
      refusal?: ConsoleRefusal;
      comment?: string;
      /** The resubmission form as it was sent, when it was refused. */
      resubmit?: Pick<ReportFormView, 'values' | 'kept' | 'errors'>;
      /** The justification typed into a refused escalation form, shown again there. */
      justification?: { escalationId: string; text: string };
    },
  ): Promise<void> {
    const actor = actorOf(req);
    const { report, kind, actions } = await this.reports.withActions(reportId, actor);
    const project = await this.projects.get(report.projectId, actor);
    const events = await this.audit.list({ subjectType: 'report', subjectId: reportId }, { limit: 200 });
    const open = report.steps.find((s) => s.key === report.currentStep);
    const members = actions.delegate ? await this.projects.members(report.projectId, actor) : [];
    const candidates = members
      .filter((m) => open && m.role === open.assigneeRole && m.userId !== report.submitterId)
      .filter((m) => !open?.assignees.includes(m.userId))
      .map((m) => m.userId);
    const names = await this.users.namesOf([
      report.submitterId,
      ...report.steps.flatMap((s) => s.assignees),
      ...report.decisions.map((d) => d.actorId),
      ...events.flatMap((e) => (e.actorUserId ? [e.actorUserId] : [])),
      ...candidates,
    ]);
    const handled = (await this.escalations.list(actor, { limit: 200, status: 'open' })).items.filter(
      (e) => e.reportId === report.id,
    );
    const reassignable = handled.length > 0 ? await this.projects.members(report.projectId, actor) : [];
    const reassignTo = reassignable
      .filter((m) => open && m.role === open.assigneeRole && m.userId !== report.submitterId)
      .filter((m) => !open?.assignees.includes(m.userId))
      .map((m) => m.userId);
    Object.assign(names, await this.users.namesOf(reassignTo));
    const frame = await this.frames.frame(req, res);
    const page = reportPage(frame, {
      kind,
      escalations: handled.map((e) =>
        escalationForm(
          frame,
          e,
          reassignTo.map((id) => ({ id, name: names[id] ?? id })),
          randomUUID(),
          extra.justification?.escalationId === e.id ? extra.justification.text : '',
        ),
      ),
      report,
      project,
      actions,
      names,
      delegates: candidates.map((id) => ({ id, name: names[id] ?? id })),
      history: events.map((e) => ({
        at: new Date(e.occurredAt).toISOString(),
        action: e.action,
        actor: e.actorUserId ? (names[e.actorUserId] ?? e.actorUserId) : frame.t.t('console.system'),
      })),
      formKey: randomUUID(),
      ...(extra.done ? { done: 'done' } : {}),
      ...(extra.refusal ? { refusal: extra.refusal } : {}),
      ...(extra.comment !== undefined ? { comment: extra.comment } : {}),
      ...(actions.resubmit
        ? {
            resubmit: {
              action: `/console/reports/${report.id}/resubmit`,
              kind,
              currency: this.profile.currency,
              values: extra.resubmit?.values ?? valuesOf(report),
              kept:
                extra.resubmit?.kept ??
                report.attachments
                  .filter((a) => a.revision === report.revision)
                  .map((a) => ({ id: a.fileId, name: a.name })),
              formKey: randomUUID(),
              submitLabel: 'console.resubmit',
              errors: extra.resubmit?.errors ?? {},
            },
          }
        : {}),
    });
    this.frames.send(res, frame, report.title, page, extra.refusal?.status ?? 200);
  }

  // ── Projects and new reports ──────────────────────────────────────────────────────────────

  @ConsolePage()
  @Get('projects')
  async projectList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const projects = (await this.projects.list({ limit: 200 }, actorOf(req))).items;
    const frame = await this.frames.frame(req, res);
    this.frames.send(res, frame, frame.t.t('console.projects.heading'), projectsPage(frame, projects));
  }

  @ConsolePage()
  @Get('projects/:projectId')
  async project(
    @UuidParam('projectId') projectId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const actor = actorOf(req);
    const project = await this.projects.get(projectId, actor);
    const kinds = this.profile.kinds.map((k) => k.key);
    const filter = {
      ...(REPORT_STATUSES.includes(query.status as ReportStatus)
        ? { status: query.status as ReportStatus }
        : {}),
      ...(kinds.includes(query.kind as string) ? { kind: query.kind as string } : {}),
    };
    const [reports, members, lines] = await Promise.all([
      this.reports.ofProject(projectId, actor, { limit: 200, ...filter }),
      this.projects.members(projectId, actor),
      this.lines.list(projectId, actor),
    ]);
    const names = await this.users.namesOf(members.map((m) => m.userId));
    const role = members.find((m) => m.userId === actor.id)?.role ?? null;
    const maySubmit = await this.reports.submittable(projectId, actor).then(
      () => true,
      () => false,
    );
    const frame = await this.frames.frame(req, res);
    const page = projectPage(frame, {
      project,
      role,
      maySubmit,
      reports: reports.items,
      filter,
      kinds,
      members: members.map((m) => ({ name: names[m.userId] ?? m.userId, role: m.role })),
      lines: lines.map((l) => ({
        kind: l.reportKind,
        version: l.version,
        steps: l.steps.map((st) => st.name),
      })),
    });
    this.frames.send(res, frame, project.title, page);
  }

  @ConsolePage()
  @Get('projects/:projectId/reports/new')
  async newReport(
    @UuidParam('projectId') projectId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const project = await this.reports.submittable(projectId, actorOf(req));
    const kind = kindOf(this.profile, String(req.query.kind)) ?? this.profile.kinds[0];
    if (!kind) throw new Error('a profile without kinds');
    await this.showNewReport(req, res, project, { kind, values: {}, kept: [], errors: {} });
  }

  @ConsolePage({ signedIn: true, multipart: true })
  @Post('projects/:projectId/reports')
  async submit(
    @UuidParam('projectId') projectId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const actor = actorOf(req);
    const project = await this.reports.submittable(projectId, actor);
    const form = await this.receive(req);
    const chosen = kindOf(this.profile, first(form.fields.kind) ?? '');
    const kind = chosen ?? this.profile.kinds[0];
    if (!kind) throw new Error('a profile without kinds');
    const ctx = this.frames.contextOf(req, { ...form.fields, files: form.files.map((f) => f.sha256) });
    const kept = await this.keepFiles(form, ctx);
    try {
      // No kind, or one the profile does not have, is refused by name: never another kind.
      if (!chosen) {
        const problem = kindProblem(this.profile, 'kind', first(form.fields.kind));
        throw invalidRequest(problem ? [problem] : []);
      }
      const request = await this.frames.parse(SubmitReportRequest, {
        ...reportFields(form.fields, kind, this.profile.currency),
        kind: kind.key,
        attachments: attachmentsOf(kept, form.fields.publish === 'true'),
      });
      const report = await this.reports.submit(projectId, request, ctx);
      this.frames.redirect(res, `/console/reports/${report.id}?done=1`);
    } catch (err) {
      if (!(err instanceof DomainError || err instanceof ProblemException)) throw err;
      await this.showNewReport(req, res, project, {
        kind,
        values: textValues(form.fields),
        kept,
        errors: fieldErrors(err),
        refusal: refusalOf(err),
      });
    }
  }

  @ConsolePage({ signedIn: true, multipart: true })
  @Post('reports/:reportId/resubmit')
  async resubmit(
    @UuidParam('reportId') reportId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    // Whether this person may resubmit is asked before a file is read: a refusal stores nothing.
    const { kind, actions } = await this.reports.withActions(reportId, actorOf(req));
    // (Asked of the domain itself, which answers with its reason and changes nothing.)
    if (!actions.resubmit) await this.reports.resubmit(reportId, {}, this.frames.contextOf(req, {}));
    const form = await this.receive(req);
    const ctx = this.frames.contextOf(req, { ...form.fields, files: form.files.map((f) => f.sha256) });
    const kept = await this.keepFiles(form, ctx);
    try {
      const fields = reportFields(form.fields, kind, this.profile.currency);
      const request = await this.frames.parse(ResubmitRequest, {
        ...fields,
        // Everything the form shows is sent: a field emptied is a field cleared.
        body: fields.body ?? {},
        attachments: attachmentsOf(kept, form.fields.publish === 'true'),
      });
      await this.reports.resubmit(reportId, request, ctx);
      this.frames.redirect(res, `/console/reports/${reportId}?done=1`);
    } catch (err) {
      if (!(err instanceof DomainError || err instanceof ProblemException)) throw err;
      if (err instanceof DomainError && err.code === 'report.not_found') throw err;
      await this.showReport(req, res, reportId, {
        refusal: refusalOf(err),
        resubmit: { values: textValues(form.fields), kept, errors: fieldErrors(err) },
      });
    }
  }

  /** A form with files, its CSRF token checked before any file is read. */
  private receive(req: AuthenticatedRequest) {
    const session = req.consoleSession;
    if (!session) throw new Error('a console form without a session');
    return receiveForm(req, this.files.stagingDir, this.config.files.maxUploadBytes, session.csrfToken);
  }

  /**
   * Stores a form's files as uploads (the same as POST /api/v1/files) and adds the files an
   * earlier attempt of the form kept; every staged file is gone afterwards.
   */
  private async keepFiles(
    form: ReceivedForm,
    ctx: RequestContext,
  ): Promise<Array<{ id: string; name: string }>> {
    const earlier = ([] as string[]).concat(form.fields.attachment ?? []).filter((id) => SHA256.test(id));
    const kept: Array<{ id: string; name: string }> = [];
    try {
      for (const file of form.files) {
        const stored = await this.files.keepUpload(file, ctx);
        kept.push({ id: stored.id, name: stored.name });
      }
    } finally {
      await Promise.all(form.files.map((f) => rm(f.path, { force: true })));
    }
    const names = await Promise.all(
      earlier.map(async (id) => {
        const file = await this.files.describe(id, ctx.actor).catch(() => undefined);
        return { id, name: file?.name ?? id };
      }),
    );
    return [...names, ...kept];
  }

  private async showNewReport(
    req: AuthenticatedRequest,
    res: Response,
    project: { id: string; code: string; title: string },
    form: {
      kind: KindSnapshot;
      values: Record<string, string>;
      kept: Array<{ id: string; name: string }>;
      errors: Record<string, string>;
      refusal?: ConsoleRefusal;
    },
  ): Promise<void> {
    const frame = await this.frames.frame(req, res);
    const view: ReportFormView = {
      action: `/console/projects/${project.id}/reports`,
      kind: form.kind,
      kinds: this.profile.kinds.map((k) => k.key),
      currency: this.profile.currency,
      values: form.values,
      kept: form.kept,
      formKey: randomUUID(),
      submitLabel: 'console.submit',
      errors: form.errors,
    };
    const page = html`<p class="crumbs">
        <span class="code">${project.code}</span>
        <a href="/console/projects/${project.id}">${project.title}</a>
      </p>
      <h1>${frame.t.t('console.newReport')}</h1>
      ${refusalBox(frame.t, form.refusal)} ${kindChooser(frame, view)} ${reportForm(frame, view)}`;
    this.frames.send(res, frame, frame.t.t('console.newReport'), page, form.refusal?.status ?? 200);
  }

  // ── Escalations ───────────────────────────────────────────────────────────────────────────

  @ConsolePage()
  @Get('escalations')
  async escalationList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const items = (await this.escalations.list(actorOf(req), { limit: 200, status: 'open' })).items;
    const frame = await this.frames.frame(req, res);
    this.frames.send(res, frame, frame.t.t('console.escalations.heading'), escalationsPage(frame, items));
  }

  @ConsolePage()
  @Post('escalations/:escalationId/resolve')
  async resolve(
    @UuidParam('escalationId') escalationId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    // Each button sends the fields it needs: a reassignment its person, an extension its length.
    const { toUserId, extendBy, ...rest } = form;
    const fields = {
      ...rest,
      ...(form.action === 'reassign' ? { toUserId } : {}),
      ...(form.action === 'extend' ? { extendBy } : {}),
    };
    try {
      const body = await this.frames.parse(ResolveEscalationRequest, fields);
      const { report } = await this.escalations.resolve(
        escalationId,
        body,
        this.frames.contextOf(req, fields),
      );
      this.frames.redirect(res, `/console/reports/${report.id}?done=1`);
    } catch (err) {
      if (!(err instanceof DomainError || err instanceof ProblemException)) throw err;
      const reportId = await this.escalations.reportOf(escalationId, actorOf(req)).catch(() => undefined);
      if (!reportId) throw err;
      const justification = typeof form.justification === 'string' ? form.justification : '';
      await this.showReport(req, res, reportId, {
        refusal: refusalOf(err),
        justification: { escalationId, text: justification },
      });
    }
  }

  // ── Files and notifications ───────────────────────────────────────────────────────────────

  @ConsolePage()
  @Get('files/:fileId')
  async file(
    @Param('fileId') id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.files.read(fileId(id), actorOf(req), 'original');
    await sendFile(res, file, 'no-store');
  }

  @ConsolePage()
  @Get('notifications')
  async notificationList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const items = await this.notifications.latest(actorOf(req));
    const frame = await this.frames.frame(req, res);
    const page = notificationsPage(frame, items, randomUUID());
    this.frames.send(res, frame, frame.t.t('console.nav.notifications'), page);
  }

  @ConsolePage()
  @Post('notifications/:notificationId/read')
  async markRead(
    @UuidParam('notificationId') id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.notifications.markRead(actorOf(req), id);
    this.frames.redirect(res, '/console/notifications');
  }
}

/**
 * The inbox's filters from a query, the same for the page and its fingerprint. Unknown values are
 * ignored, not refused: a stale bookmark still opens the inbox.
 */
function inboxFilter(
  query: Record<string, unknown>,
  kinds: readonly string[],
  projectIds: readonly string[],
): { projectId?: string; kind?: string; overdue?: boolean } {
  return {
    ...(projectIds.includes(query.projectId as string) ? { projectId: query.projectId as string } : {}),
    ...(kinds.includes(query.kind as string) ? { kind: query.kind as string } : {}),
    ...(query.overdue === 'true' ? { overdue: true } : {}),
  };
}

/** A fingerprint of an inbox's open steps (which report, which revision, which step). */
function inboxState(items: ReadonlyArray<{ reportId: string; revision: number; stepKey: string }>): string {
  const ids = items.map((i) => `${i.reportId}:${i.revision}:${i.stepKey}`).sort();
  return createHash('sha256').update(ids.join(',')).digest('base64url').slice(0, 16);
}

export function actorOf(req: AuthenticatedRequest) {
  if (!req.principal) throw new Error('a console page without a session');
  return req.principal;
}

/**
 * Any other address under /console, or a method a page does not take (a bookmarked sign-out):
 * a page that says so, not the API's problem+json. Registered after every console page.
 */
@ApiExcludeController()
@UseInterceptors(IdempotencyInterceptor)
@Controller('console')
export class ConsoleFallbackController {
  constructor(private readonly frames: ConsoleFrames) {}

  @ConsolePage({ signedIn: false })
  @All('*path')
  async notFound(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const frame = await this.frames.frame(req, res);
    const refusal = refusalOf(new DomainError('report.not_found', 'There is no such page in the console.'));
    this.frames.send(res, frame, frame.t.t('console.notFound'), errorPage(frame, 404, refusal), 404);
  }
}
