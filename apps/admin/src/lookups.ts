/**
 * How an operator names things on the command line and in CSV files: organizations by name,
 * users by username, projects by code (each unique, as the database keeps them), or by id.
 */
import type { DataSource } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OrganizationRow {
  id: string;
  name: string;
  kind: string;
}
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  organizationId: string;
  systemRole: string;
}
export interface ProjectRow {
  id: string;
  code: string;
  title: string;
  agencyOrganizationId: string;
}

export class Lookups {
  constructor(private readonly ds: DataSource) {}

  async organization(nameOrId: string): Promise<OrganizationRow | undefined> {
    const rows: OrganizationRow[] = await this.ds.query(
      `SELECT id, name, kind FROM organizations WHERE ${UUID.test(nameOrId) ? 'id = $1::uuid' : 'name = $1'}`,
      [nameOrId],
    );
    return rows[0];
  }

  async user(usernameOrId: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(
      `SELECT id, username, display_name AS "displayName", organization_id AS "organizationId",
              system_role AS "systemRole"
         FROM users WHERE ${UUID.test(usernameOrId) ? 'id = $1::uuid' : 'lower(username) = lower($1)'}`,
      [usernameOrId],
    );
    return rows[0];
  }

  async project(codeOrId: string): Promise<ProjectRow | undefined> {
    const rows: ProjectRow[] = await this.ds.query(
      `SELECT id, code, title, agency_organization_id AS "agencyOrganizationId"
         FROM projects WHERE ${UUID.test(codeOrId) ? 'id = $1::uuid' : 'lower(code) = lower($1)'}`,
      [codeOrId],
    );
    return rows[0];
  }

  async memberRole(projectId: string, userId: string): Promise<string | undefined> {
    const rows: Array<{ role: string }> = await this.ds.query(
      `SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2`,
      [projectId, userId],
    );
    return rows[0]?.role;
  }
}
