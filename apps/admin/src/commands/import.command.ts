/**
 * `import <file.csv> [--dry-run]`: organizations, users, projects and memberships from one CSV
 * file with a `type` column (docs/import.md). Each line goes through the API's own validation and
 * services, as if sent to the API by an administrator; a line whose thing exists already, as the
 * line says it, is `unchanged`, so a re-run changes nothing. A dry run changes nothing at all: it
 * checks each line's fields, references and the role rules, and says what a real run would do.
 */
import { readFileSync } from 'node:fs';
import {
  PROJECT_ROLES_OF,
  ROLE_ORGANIZATION_KINDS,
  type OrganizationKind,
  type ProjectRole,
  type SystemRole,
} from '@openccs/domain';
import { generatePassword } from '@openccs/persistence';
import { CreateOrganizationRequest } from '../../../api/src/organizations/organizations.dto';
import { OrganizationsService } from '../../../api/src/organizations/organizations.service';
import { CreateProjectRequest, SetMemberRequest } from '../../../api/src/projects/projects.dto';
import { ProjectsService } from '../../../api/src/projects/projects.service';
import { CreateUserRequest } from '../../../api/src/users/users.dto';
import { UsersService } from '../../../api/src/users/users.service';
import type { AdminCommand } from '../command';
import { CommandFailure, type AdminContext } from '../context';
import { parseCsv, type CsvRecord } from '../csv';
import { Lookups } from '../lookups';
import { refusalOf, validated } from '../refusal';

export const IMPORT_COLUMNS = [
  'type',
  'name',
  'kind',
  'username',
  'display_name',
  'organization',
  'system_role',
  'code',
  'title',
  'agency',
  'description',
  'start_date',
  'end_date',
  'project',
  'user',
  'role',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
type Row = Partial<Record<Column, string>>;

/** What a real run would do with one line, or did. */
type Plan =
  | { status: 'unchanged'; key: string }
  | { status: 'created' | 'updated'; key: string; apply(): Promise<string | void> };

class LineError extends Error {}

/** An id standing for something a dry run would have created earlier in the file. */
const PENDING_ID = '00000000-0000-4000-8000-000000000000';

export const importCsv: AdminCommand = {
  usage: 'import <file>',
  summary: 'create organizations, users, projects and memberships from a CSV file (docs/import.md)',
  options(command) {
    command.option('--dry-run', 'check every line and say what would happen; change nothing');
  },
  async run(ctx, [file], options) {
    const dryRun = options.dryRun === true;
    let records: CsvRecord[];
    try {
      records = parseCsv(readFileSync(file ?? '', 'utf8'));
    } catch (err) {
      throw new CommandFailure(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const [header, ...lines] = records;
    if (!header) throw new CommandFailure(`${file} is empty.`);
    const columns = header.fields.map((f) => f.trim().toLowerCase());
    const unknown = columns.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
    if (unknown.length > 0 || !columns.includes('type'))
      throw new CommandFailure(
        `${file} line ${header.line}: the header must name a type column and only these: ${IMPORT_COLUMNS.join(', ')}` +
          (unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''),
      );
    const importer = new Importer(ctx, new Lookups(await ctx.dataSource()), dryRun);
    let errors = 0;
    for (const record of lines) {
      const row: Row = {};
      columns.forEach((c, i) => {
        const value = record.fields[i]?.trim();
        if (value) row[c as Column] = value;
      });
      const type = row.type ?? '';
      try {
        if (record.fields.length !== columns.length)
          throw new LineError(`has ${record.fields.length} fields, the header ${columns.length}`);
        const plan = await importer.plan(row);
        let note = '';
        if (plan.status !== 'unchanged' && !dryRun) note = (await ctx.audited(plan.apply)) ?? '';
        const status = dryRun && plan.status !== 'unchanged' ? `would be ${plan.status}` : plan.status;
        ctx.output.out(`line ${record.line}\t${type}\t${plan.key}\t${status}${note ? `\t${note}` : ''}\n`);
      } catch (err) {
        const reason = err instanceof LineError ? err.message : refusalOf(err);
        if (reason === undefined) throw err;
        errors++;
        const key = row.name ?? row.username ?? row.code ?? [row.project, row.user].filter(Boolean).join('/');
        ctx.output.out(`line ${record.line}\t${type}\t${key}\terror\t${reason}\n`);
      }
    }
    ctx.output.err(
      `${lines.length} lines, ${errors} refused${dryRun ? '; dry run: nothing was changed' : ''}.\n`,
    );
    return errors > 0 ? 1 : 0;
  },
};

class Importer {
  /** What a dry run would have created by this line, so later lines may refer to it. */
  private readonly pending = {
    organizations: new Map<string, OrganizationKind>(),
    users: new Map<string, { systemRole: SystemRole; organizationKind: OrganizationKind }>(),
    projects: new Set<string>(),
  };

  constructor(
    private readonly ctx: AdminContext,
    private readonly find: Lookups,
    private readonly dryRun: boolean,
  ) {}

  plan(row: Row): Promise<Plan> {
    switch (row.type) {
      case 'organization':
        return this.organization(row);
      case 'user':
        return this.user(row);
      case 'project':
        return this.project(row);
      case 'member':
        return this.member(row);
      default:
        throw new LineError('type must be one of organization, user, project, member');
    }
  }

  private async organization(row: Row): Promise<Plan> {
    const name = required(row, 'name');
    const body = await validated(CreateOrganizationRequest, { name, kind: row.kind }, this.ctx.profile());
    const existing = await this.find.organization(body.name);
    const kind = existing?.kind ?? this.pending.organizations.get(body.name);
    if (kind !== undefined) {
      if (kind !== body.kind) throw new LineError(`organization ${body.name} exists already as a ${kind}`);
      return { status: 'unchanged', key: body.name };
    }
    if (this.dryRun) this.pending.organizations.set(body.name, body.kind);
    const services = await this.ctx.services();
    return {
      status: 'created',
      key: body.name,
      apply: async () => {
        await services.get(OrganizationsService).create(body, this.ctx.requestContext());
      },
    };
  }

  private async user(row: Row): Promise<Plan> {
    const username = required(row, 'username');
    const organization = await this.organizationOf(required(row, 'organization'));
    const password = generatePassword();
    const body = await validated(
      CreateUserRequest,
      {
        username,
        password,
        displayName: row.display_name,
        organizationId: organization.id,
        ...(row.system_role ? { systemRole: row.system_role } : {}),
      },
      this.ctx.profile(),
    );
    const systemRole = body.systemRole ?? 'staff';
    const existing = await this.find.user(username);
    if (existing) {
      const same =
        existing.organizationId === organization.id &&
        existing.systemRole === systemRole &&
        existing.displayName === body.displayName.trim();
      if (!same)
        throw new LineError(
          `user ${existing.username} exists already with another organization, role or display name; change it in the console`,
        );
      return { status: 'unchanged', key: existing.username };
    }
    if (this.pending.users.has(username.toLowerCase())) return { status: 'unchanged', key: username };
    if (this.dryRun)
      this.pending.users.set(username.toLowerCase(), { systemRole, organizationKind: organization.kind });
    const services = await this.ctx.services();
    return {
      status: 'created',
      key: username,
      apply: async () => {
        await services.get(UsersService).create(body, this.ctx.requestContext(), { oneTime: true });
        return `one-time password: ${password}`;
      },
    };
  }

  private async project(row: Row): Promise<Plan> {
    const code = required(row, 'code');
    const agency = await this.organizationOf(required(row, 'agency'));
    const body = await validated(
      CreateProjectRequest,
      {
        code,
        title: row.title,
        agencyOrganizationId: agency.id,
        ...(row.description ? { description: row.description } : {}),
        ...(row.start_date ? { startDate: row.start_date } : {}),
        ...(row.end_date ? { endDate: row.end_date } : {}),
      },
      this.ctx.profile(),
    );
    const existing = await this.find.project(code);
    if (existing) {
      if (existing.agencyOrganizationId !== agency.id || existing.title !== body.title.trim())
        throw new LineError(`project ${existing.code} exists already with another title or agency`);
      return { status: 'unchanged', key: existing.code };
    }
    if (this.pending.projects.has(code.toLowerCase())) return { status: 'unchanged', key: code };
    if (agency.kind !== 'agency')
      throw new LineError(`project.agency_not_an_agency: ${agency.name} is a ${agency.kind}, not an agency`);
    if (this.dryRun) this.pending.projects.add(code.toLowerCase());
    const services = await this.ctx.services();
    return {
      status: 'created',
      key: code,
      apply: async () => {
        await services.get(ProjectsService).create(body, this.ctx.requestContext());
      },
    };
  }

  private async member(row: Row): Promise<Plan> {
    const projectCode = required(row, 'project');
    const username = required(row, 'user');
    const body = await validated(SetMemberRequest, { role: row.role }, this.ctx.profile());
    const key = `${projectCode}/${username}`;
    const project = await this.find.project(projectCode);
    if (!project && !this.pending.projects.has(projectCode.toLowerCase()))
      throw new LineError(`request.unknown_reference: no project ${projectCode}`);
    const user = await this.find.user(username);
    const pendingUser = this.pending.users.get(username.toLowerCase());
    if (!user && !pendingUser) throw new LineError(`request.unknown_reference: no user ${username}`);
    const current = project && user ? await this.find.memberRole(project.id, user.id) : undefined;
    if (current === body.role) return { status: 'unchanged', key };
    const status = current === undefined ? 'created' : 'updated';
    if (this.dryRun || !project || !user) {
      // What ProjectsService.setMember will check, from the same domain tables.
      const { systemRole, organizationKind } = pendingUser ?? {
        systemRole: user?.systemRole as SystemRole,
        organizationKind: (await this.find.organization(user?.organizationId ?? ''))
          ?.kind as OrganizationKind,
      };
      if (!PROJECT_ROLES_OF[systemRole].includes(body.role))
        throw new LineError(
          `member.role_not_allowed: ${username} is an ${systemRole}; such accounts may only observe`,
        );
      if (!roleFits(body.role, organizationKind))
        throw new LineError(
          `member.role_not_allowed: the role ${body.role} is not for staff of a ${organizationKind}`,
        );
      return { status, key, apply: () => Promise.resolve() };
    }
    const services = await this.ctx.services();
    return {
      status,
      key,
      apply: async () => {
        await services.get(ProjectsService).setMember(project.id, user.id, body, this.ctx.requestContext());
      },
    };
  }

  private async organizationOf(
    nameOrId: string,
  ): Promise<{ id: string; kind: OrganizationKind; name: string }> {
    const found = await this.find.organization(nameOrId);
    if (found) return { id: found.id, kind: found.kind as OrganizationKind, name: found.name };
    const kind = this.pending.organizations.get(nameOrId);
    if (kind) return { id: PENDING_ID, kind, name: nameOrId };
    throw new LineError(`request.unknown_reference: no organization ${nameOrId}`);
  }
}

function roleFits(role: ProjectRole, kind: OrganizationKind | undefined): boolean {
  return kind !== undefined && ROLE_ORGANIZATION_KINDS[role].includes(kind);
}

function required(row: Row, column: Column): string {
  const value = row[column];
  if (value === undefined) throw new LineError(`${column} is required for a ${row.type}`);
  return value;
}
