/**
 * The console's administration (for administrators) and audit search (for auditors and
 * administrators): forms over the services of the JSON API's administration, with the same
 * validation and the same role checks (the guard reads the same decorator).
 */
import {
  Body,
  Controller,
  Get,
  Post,
  Query,
  Req,
  Res,
  type Type,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError, type StepTemplate } from '@openccs/domain';
import { InjectProfile, type Profile } from '@openccs/profile';
import { AuditLogRepository, UsersRepository } from '@openccs/persistence';
import { PutApprovalLineRequest } from '../approval-lines/approval-lines.dto';
import { ApprovalLinesService } from '../approval-lines/approval-lines.service';
import { RequireSystemRole } from '../auth/decorators';
import { ProblemException } from '../common/problem';
import type { AuthenticatedRequest } from '../common/request-context';
import { UuidParam } from '../common/uuid-param';
import { CreateOrganizationRequest } from '../organizations/organizations.dto';
import { OrganizationsService } from '../organizations/organizations.service';
import { CreateProjectRequest, SetMemberRequest, UpdateProjectRequest } from '../projects/projects.dto';
import { ProjectsService } from '../projects/projects.service';
import { AuditQuery } from '../audit/audit.controller';
import { ChangePasswordRequest, CreateUserRequest } from '../users/users.dto';
import { UsersService } from '../users/users.service';
import {
  adminHome,
  adminProjectPage,
  adminProjectsPage,
  auditPage,
  organizationsPage,
  usersPage,
  type AdminForm,
  type LineEditorView,
} from './admin-views';
import { ConsoleFrames } from './console-frame';
import { ConsoleFilter, refusalOf } from './console.filter';
import { actorOf } from './console.controller';
import { ConsolePage } from './session';
import { refusalBox } from './views';
import type { Html } from '../portal/html';
import { html } from '../portal/html';
import { IdempotencyInterceptor } from '../common/idempotency';

type Form = Record<string, unknown>;

/** Empty rows under a line's steps, to add steps without a script. */
const SPARE_STEPS = 2;

const blank = (): AdminForm => ({ values: {}, errors: {}, key: randomUUID() });

/** A refusal's field errors by the form's field names, and the form as it was sent. */
function formAfter(err: unknown, form: Form): AdminForm {
  const errors: Record<string, string> = {};
  const list =
    err instanceof ProblemException
      ? (err.problem.errors ?? [])
      : err instanceof DomainError
        ? (err.fieldErrors ?? (err.field ? [{ field: err.field, message: err.message }] : []))
        : [];
  for (const e of list) errors[formField(e.field)] ??= e.message;
  const values = Object.fromEntries(
    Object.entries(form).flatMap(([k, v]) => (typeof v === 'string' && !k.startsWith('_') ? [[k, v]] : [])),
  );
  return { values, errors, key: randomUUID() };
}

/** A request's field as the form names it: `contractAmount.value` is `contractAmount`, a step's first escalation level is its row's. */
function formField(field: string): string {
  return field
    .replace(/\.value$/, '')
    .replace(/^location\.address$/, 'location')
    .replace(/^location\.(lat|lon)$/, '$1')
    .replace(/^steps\.(\d+)\./, 'steps[$1].')
    .replace(/^(steps\[\d+\])\.escalation(?:\[0\]|\.0)\.after$/, '$1.escalateAfter')
    .replace(/^(steps\[\d+\])\.escalation(?:\[0\]|\.0)\.toRole$/, '$1.escalateTo');
}

const refused = (err: unknown): err is DomainError | ProblemException =>
  err instanceof DomainError || err instanceof ProblemException;

@ApiExcludeController()
@UseFilters(ConsoleFilter)
@UseInterceptors(IdempotencyInterceptor)
@Controller('console')
export class ConsoleAdminController {
  constructor(
    @InjectProfile() private readonly profile: Profile,
    private readonly frames: ConsoleFrames,
    private readonly organizations: OrganizationsService,
    private readonly users: UsersService,
    private readonly people: UsersRepository,
    private readonly projects: ProjectsService,
    private readonly lines: ApprovalLinesService,
    private readonly audit: AuditLogRepository,
  ) {}

  @ConsolePage()
  @RequireSystemRole('admin')
  @Get('admin')
  async home(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const frame = await this.frames.frame(req, res);
    this.frames.send(res, frame, frame.t.t('console.admin.heading'), adminHome(frame));
  }

  // ── Organizations ─────────────────────────────────────────────────────────────────────────

  @ConsolePage()
  @RequireSystemRole('admin')
  @Get('admin/organizations')
  organizationList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.showOrganizations(req, res, blank());
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/organizations')
  async createOrganization(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    await this.run(req, res, form, '/console/admin/organizations', CreateOrganizationRequest, (body, ctx) =>
      this.organizations.create(body, ctx),
    ).catch((err: unknown) => this.showOrganizations(req, res, formAfter(err, form), err));
  }

  private async showOrganizations(req: AuthenticatedRequest, res: Response, form: AdminForm, err?: unknown) {
    const organizations = (await this.organizations.list({ limit: 200 })).items;
    await this.show(
      req,
      res,
      'console.admin.organizations',
      (frame) => organizationsPage(frame, organizations, form),
      err,
    );
  }

  // ── Users ─────────────────────────────────────────────────────────────────────────────────

  @ConsolePage()
  @RequireSystemRole('admin')
  @Get('admin/users')
  userList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.showUsers(req, res, blank());
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/users')
  async createUser(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    await this.run(req, res, form, '/console/admin/users', CreateUserRequest, (body, ctx) =>
      this.users.create(body, ctx),
    ).catch((err: unknown) => this.showUsers(req, res, formAfter(err, form), err));
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/users/:userId/deactivate')
  async deactivate(
    @UuidParam('userId') userId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    await this.users
      .deactivate(userId, this.frames.contextOf(req, form))
      .then(() => this.frames.redirect(res, '/console/admin/users'))
      .catch((err: unknown) => this.showUsers(req, res, blank(), err));
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/users/:userId/reactivate')
  async reactivate(
    @UuidParam('userId') userId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    await this.users
      .reactivate(userId, this.frames.contextOf(req, form))
      .then(() => this.frames.redirect(res, '/console/admin/users'))
      .catch((err: unknown) => this.showUsers(req, res, blank(), err));
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/users/:userId/password')
  async resetPassword(
    @UuidParam('userId') userId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    await this.run(req, res, form, '/console/admin/users', ChangePasswordRequest, (body, ctx) =>
      this.users.changePassword(userId, body, ctx),
    ).catch((err: unknown) => this.showUsers(req, res, blank(), err));
  }

  private async showUsers(req: AuthenticatedRequest, res: Response, form: AdminForm, err?: unknown) {
    const [users, organizations] = await Promise.all([
      this.users.list({ limit: 200 }),
      this.organizations.list({ limit: 200 }),
    ]);
    const orgName = new Map(organizations.items.map((o) => [o.id, o.name]));
    const rows = users.items.map((u) => ({ ...u, organization: orgName.get(u.organizationId) ?? '—' }));
    await this.show(
      req,
      res,
      'console.admin.users',
      (frame) => usersPage(frame, rows, organizations.items, form),
      err,
    );
  }

  // ── Projects, members, lines ──────────────────────────────────────────────────────────────

  @ConsolePage()
  @RequireSystemRole('admin')
  @Get('admin/projects')
  projectList(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.showProjects(req, res, blank());
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/projects')
  async createProject(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    const fields = this.projectFields(form);
    await this.run(req, res, fields, undefined, CreateProjectRequest, (body, ctx) =>
      this.projects.create(body, ctx),
    )
      .then((project) => project && this.frames.redirect(res, `/console/admin/projects/${project.id}`))
      .catch((err: unknown) => this.showProjects(req, res, formAfter(err, form), err));
  }

  private async showProjects(req: AuthenticatedRequest, res: Response, form: AdminForm, err?: unknown) {
    const [projects, organizations] = await Promise.all([
      this.projects.list({ limit: 200 }, actorOf(req)),
      this.organizations.list({ limit: 200 }),
    ]);
    const agencies = organizations.items.filter((o) => o.kind === 'agency');
    await this.show(
      req,
      res,
      'console.admin.projects',
      (frame) => adminProjectsPage(frame, projects.items, agencies, this.profile.currency, form),
      err,
    );
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Get('admin/projects/:projectId')
  async project(
    @UuidParam('projectId') projectId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query('kind') kind: unknown,
  ): Promise<void> {
    await this.showProject(req, res, projectId, this.kindOr(kind), blank());
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/projects/:projectId')
  async editProject(
    @UuidParam('projectId') projectId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    const fields = this.projectFields(form);
    await this.run(
      req,
      res,
      fields,
      `/console/admin/projects/${projectId}`,
      UpdateProjectRequest,
      (body, ctx) => this.projects.update(projectId, body, ctx),
    ).catch((err: unknown) =>
      this.showProject(
        req,
        res,
        projectId,
        this.kindOr(undefined),
        blank(),
        err,
        undefined,
        formAfter(err, form),
      ),
    );
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/projects/:projectId/members')
  async addMember(
    @UuidParam('projectId') projectId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    const { userId, ...rest } = form;
    await this.run(req, res, rest, `/console/admin/projects/${projectId}`, SetMemberRequest, (body, ctx) =>
      this.projects.setMember(projectId, String(userId), body, ctx),
    ).catch((err: unknown) =>
      this.showProject(req, res, projectId, this.kindOr(undefined), formAfter(err, form), err),
    );
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/projects/:projectId/members/:userId/remove')
  async removeMember(
    @UuidParam('projectId') projectId: string,
    @UuidParam('userId') userId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    await this.projects
      .removeMember(projectId, userId, this.frames.contextOf(req, form))
      .then(() => this.frames.redirect(res, `/console/admin/projects/${projectId}`))
      .catch((err: unknown) => this.showProject(req, res, projectId, this.kindOr(undefined), blank(), err));
  }

  @ConsolePage()
  @RequireSystemRole('admin')
  @Post('admin/projects/:projectId/lines/:kind')
  async saveLine(
    @UuidParam('projectId') projectId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() form: Form,
  ): Promise<void> {
    const kind = this.kindOr(req.params.kind);
    const rows = stepRows(form);
    const steps = rows.filter((r) => Object.values(r).some((v) => v !== '')).map(stepOf);
    try {
      const body = await this.frames.parse(PutApprovalLineRequest, { steps });
      await this.lines.put(projectId, kind, body, this.frames.contextOf(req, form));
      this.frames.redirect(res, `/console/admin/projects/${projectId}?kind=${kind}&done=1`);
    } catch (err) {
      if (!refused(err)) throw err;
      await this.showProject(req, res, projectId, kind, { ...formAfter(err, {}), values: {} }, err, rows);
    }
  }

  /** A project form as the API's request: the amount as Money, address and coordinates as a location. */
  private projectFields(form: Form): Form {
    const { contractAmount, location, lat, lon, ...rest } = form;
    const given = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
    const number = (v: string) => (Number.isFinite(Number(v)) ? Number(v) : v);
    const where = {
      ...(given(location) ? { address: location } : {}),
      ...(given(lat) ? { lat: number(lat) } : {}),
      ...(given(lon) ? { lon: number(lon) } : {}),
    };
    return {
      ...rest,
      ...this.amountOf(contractAmount),
      ...(Object.keys(where).length ? { location: where } : {}),
    };
  }

  /** A form's amount field as the API's Money, in the profile's currency; nothing when empty. */
  private amountOf(raw: unknown): { contractAmount?: { value: unknown; currency: string } } {
    if (typeof raw !== 'string' || raw.trim() === '') return {};
    const value = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    return { contractAmount: { value, currency: this.profile.currency } };
  }

  private kindOr(kind: unknown): string {
    const keys = this.profile.kinds.map((k) => k.key);
    return typeof kind === 'string' && keys.includes(kind) ? kind : (keys[0] as string);
  }

  private async showProject(
    req: AuthenticatedRequest,
    res: Response,
    projectId: string,
    kind: string,
    form: AdminForm,
    err?: unknown,
    sentRows?: LineEditorView['steps'],
    edit?: AdminForm,
  ): Promise<void> {
    const actor = actorOf(req);
    const [project, members, lines, users] = await Promise.all([
      this.projects.get(projectId, actor),
      this.projects.members(projectId, actor),
      this.lines.list(projectId, actor),
      this.users.list({ limit: 200 }),
    ]);
    const names = await this.people.namesOf(members.map((m) => m.userId));
    const current = lines.find((l) => l.reportKind === kind)?.steps ?? [];
    const rows = sentRows ?? [...current.map(rowOf), ...Array.from({ length: SPARE_STEPS }, () => ({}))];
    await this.show(
      req,
      res,
      'console.admin.projects',
      (frame) =>
        adminProjectPage(
          frame,
          {
            project,
            edit: edit ?? {
              values: {
                title: project.title,
                location: project.location?.address ?? '',
                lat: project.location?.lat?.toString() ?? '',
                lon: project.location?.lon?.toString() ?? '',
                contractAmount: project.contractAmount ? String(project.contractAmount.value) : '',
                startDate: project.startDate ?? '',
                endDate: project.endDate ?? '',
                status: project.status,
              },
              errors: {},
              key: randomUUID(),
            },
            members: members.map((m) => ({
              userId: m.userId,
              name: names[m.userId] ?? m.userId,
              role: m.role,
            })),
            people: users.items
              .filter((u) => u.active)
              .map((u) => ({ id: u.id, name: `${u.displayName} (${u.username})` })),
            line: { kind, kinds: this.profile.kinds.map((k) => k.key), steps: rows },
          },
          form,
        ),
      err,
    );
  }

  // ── Audit ─────────────────────────────────────────────────────────────────────────────────

  @ConsolePage()
  @RequireSystemRole('admin', 'auditor')
  @Get('audit')
  async auditSearch(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const filter = Object.fromEntries(
      ['projectId', 'actorUserId', 'action', 'from', 'to'].flatMap((k) =>
        typeof query[k] === 'string' && query[k] !== '' ? [[k, query[k] as string]] : [],
      ),
    );
    let errors: Record<string, string> = {};
    let events: Awaited<ReturnType<AuditLogRepository['list']>> = [];
    try {
      const parsed = await this.frames.parse(AuditQuery, filter);
      events = await this.audit.list(
        {
          ...(parsed.projectId ? { projectId: parsed.projectId } : {}),
          ...(parsed.actorUserId ? { actorUserId: parsed.actorUserId } : {}),
          ...(parsed.action ? { action: parsed.action } : {}),
          ...(parsed.from ? { from: new Date(parsed.from).toISOString() } : {}),
          ...(parsed.to ? { to: new Date(parsed.to).toISOString() } : {}),
        },
        { limit: 200 },
      );
    } catch (err) {
      if (!refused(err)) throw err;
      errors = formAfter(err, {}).errors;
    }
    const [projects, users] = await Promise.all([
      this.projects.list({ limit: 200 }, actorOf(req)),
      this.users.list({ limit: 200 }),
    ]);
    const names = Object.fromEntries(users.items.map((u) => [u.id, `${u.displayName} (${u.username})`]));
    const frame = await this.frames.frame(req, res);
    const page = auditPage(frame, {
      filter,
      projects: projects.items,
      people: users.items.map((u) => ({ id: u.id, name: names[u.id] as string })),
      events: events.map((e) => ({
        at: new Date(e.occurredAt).toISOString(),
        actor: e.actorUserId ? (names[e.actorUserId] ?? e.actorUserId) : frame.t.t('console.system'),
        action: e.action,
        subject: `${e.subjectType} ${e.subjectId}`,
        requestId: e.requestId,
      })),
      errors,
    });
    this.frames.send(
      res,
      frame,
      frame.t.t('console.audit.heading'),
      page,
      Object.keys(errors).length ? 400 : 200,
    );
  }

  // ── Forms ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Parses a form into the API's request class and runs the service; then redirects to `next`
   * (when given). A refusal is rethrown for the caller to show the page again with it.
   */
  private async run<T extends object, R>(
    req: AuthenticatedRequest,
    res: Response,
    form: Form,
    next: string | undefined,
    type: Type<T>,
    command: (body: T, ctx: ReturnType<ConsoleFrames['contextOf']>) => Promise<R>,
  ): Promise<R | undefined> {
    const body = await this.frames.parse(type, form);
    const result = await command(body, this.frames.contextOf(req, form));
    if (next) this.frames.redirect(res, `${next}?done=1`);
    return result;
  }

  /** A page, with the refusal that brought it back (if any) above it, at the refusal's status. */
  private async show(
    req: AuthenticatedRequest,
    res: Response,
    title: 'console.admin.organizations' | 'console.admin.users' | 'console.admin.projects',
    main: (frame: Awaited<ReturnType<ConsoleFrames['frame']>>) => Html,
    err?: unknown,
  ): Promise<void> {
    if (err !== undefined && !refused(err)) throw err;
    const refusal = err === undefined ? undefined : refusalOf(err);
    const frame = await this.frames.frame(req, res);
    const done = req.query.done === '1' && !refusal;
    this.frames.send(
      res,
      frame,
      frame.t.t(title),
      html`${done ? html`<p class="done" role="status">${frame.t.t('console.done')}</p>` : ''}
      ${refusalBox(frame.t, refusal)} ${main(frame)}`,
      refusal?.status ?? 200,
    );
  }
}

type Row = LineEditorView['steps'][number];

/** The editor's rows as sent: `steps.<i>.<field>`. */
function stepRows(form: Form): Row[] {
  const rows: Record<string, string>[] = [];
  for (const [name, value] of Object.entries(form)) {
    const m = /^steps\.(\d{1,2})\.([A-Za-z]+)$/.exec(name);
    if (!m || typeof value !== 'string') continue;
    const i = Number(m[1]);
    (rows[i] ??= {})[m[2] as string] = value;
  }
  return Array.from({ length: rows.length }, (_, i) => rows[i] ?? {});
}

/** A row as the API's step: what cannot be read as its type is passed on, for validation to name. */
function stepOf(row: Row): Record<string, unknown> {
  const quorum = row.quorum?.trim();
  const first =
    row.escalateAfter || row.escalateTo
      ? [{ after: row.escalateAfter ?? '', toRole: row.escalateTo ?? '' }]
      : [];
  return {
    key: row.key ?? '',
    name: row.name ?? '',
    assigneeRole: row.assigneeRole ?? '',
    mode: row.mode ?? '',
    ...(quorum ? { quorum: /^\d{1,3}$/.test(quorum) ? Number(quorum) : quorum } : {}),
    sla: row.sla ?? '',
    // Levels after the first, and whether the step is disclosed, travel unchanged (hidden fields).
    escalation: [...first, ...laterLevels(row.moreEscalation)],
    public: row.public !== 'false',
  };
}

function laterLevels(json: string | undefined): unknown[] {
  if (!json) return [];
  try {
    const levels: unknown = JSON.parse(json);
    return Array.isArray(levels) ? levels : [json];
  } catch {
    return [json]; // refused by validation, by name, rather than dropped
  }
}

/** A step of a line as the editor's row. */
function rowOf(step: StepTemplate): Row {
  const [first, ...later] = step.escalation;
  return {
    key: step.key,
    name: step.name,
    assigneeRole: step.assigneeRole,
    mode: step.mode,
    ...(step.quorum !== undefined ? { quorum: String(step.quorum) } : {}),
    sla: step.sla,
    ...(first ? { escalateAfter: first.after, escalateTo: first.toRole } : {}),
    ...(later.length > 0 ? { moreEscalation: JSON.stringify(later) } : {}),
    public: String(step.public),
  };
}
