/**
 * Seed data through the public contract: every factory goes through the API as the admin, so
 * tests start from states a real deployment can reach.
 */
import { randomBytes } from 'node:crypto';
import type { OrganizationKind, ProjectRole, SystemRole } from '@openccs/domain';
import { http } from './http';

export const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export const USER_PASSWORD = 'a-test-password-1';

let adminToken: string | undefined;

export async function tokenFor(username: string, password: string): Promise<string> {
  const res = await http<{ accessToken: string }>('POST', '/api/v1/auth/token', {
    body: { username, password },
  });
  if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${res.text}`);
  return res.body.accessToken;
}

export async function asAdmin(): Promise<string> {
  adminToken ??= await tokenFor('admin', process.env.OPENCCS_TEST_ADMIN_PASSWORD ?? '');
  return adminToken;
}

async function created<T>(res: Promise<{ status: number; body: T; text: string }>, what: string): Promise<T> {
  const r = await res;
  if (r.status !== 201 && r.status !== 200) throw new Error(`creating ${what} failed: ${r.status} ${r.text}`);
  return r.body;
}

export interface Org {
  id: string;
  name: string;
  kind: OrganizationKind;
}
export interface User {
  id: string;
  username: string;
  organizationId: string;
  token: string;
}
export interface Project {
  id: string;
  code: string;
  title: string;
}

export async function createOrganization(kind: OrganizationKind): Promise<Org> {
  return created(
    http<Org>('POST', '/api/v1/organizations', {
      token: await asAdmin(),
      body: { name: unique(`${kind} org`), kind },
    }),
    'organization',
  );
}

export async function createUser(organization: Org, systemRole: SystemRole = 'staff'): Promise<User> {
  const username = unique(`user.${organization.kind}`);
  const user = await created(
    http<Omit<User, 'token'>>('POST', '/api/v1/users', {
      token: await asAdmin(),
      body: {
        username,
        password: USER_PASSWORD,
        displayName: `Test ${username}`,
        organizationId: organization.id,
        systemRole,
      },
    }),
    'user',
  );
  return { ...user, token: await tokenFor(username, USER_PASSWORD) };
}

export async function createProject(agency: Org): Promise<Project> {
  return created(
    http<Project>('POST', '/api/v1/projects', {
      token: await asAdmin(),
      body: {
        code: unique('TEST'),
        title: unique('Test bridge'),
        agencyOrganizationId: agency.id,
        contractAmount: { value: 1_000_000, currency: 'KRW' },
      },
    }),
    'project',
  );
}

export async function addMember(project: Project, user: User, role: ProjectRole): Promise<void> {
  await created(
    http('PUT', `/api/v1/projects/${project.id}/members/${user.id}`, {
      token: await asAdmin(),
      body: { role },
    }),
    'membership',
  );
}
