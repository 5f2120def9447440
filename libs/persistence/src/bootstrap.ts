/**
 * Brings a database to the state the processes expect: every migration applied, and on an empty
 * database the `admin` user and (optionally) the demo data set. Safe to run from several
 * processes at once: a PostgreSQL advisory lock serializes them.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Profile } from '@openccs/profile';
import { generatePassword, hashPassword } from './credentials';
import {
  ApprovalLinesRepository,
  AuditRepository,
  OrganizationsRepository,
  ProjectsRepository,
  UsersRepository,
} from './repositories';

/** Arbitrary, fixed: identifies OpenCCS's bootstrap among advisory locks. */
const BOOTSTRAP_LOCK = 7_337_001;

export interface BootstrapOptions {
  adminPassword: string | undefined;
  /** Create the profile's demo data set (organizations, project, people) on an empty database. */
  demoData: boolean;
  /** Whose demo data and default lines; required with `demoData`. */
  profile?: Pick<Profile, 'demo' | 'kinds' | 'currency' | 'defaults'>;
}

export interface BootstrapResult {
  migrationsApplied: string[];
  /** Set only when this run created the admin with a generated password: show it once. */
  generatedAdminPassword?: string;
  /** Set only when this run created the demo users: their shared password. */
  demoPassword?: string;
  adminCreated: boolean;
}

export async function prepareDatabase(ds: DataSource, options: BootstrapOptions): Promise<BootstrapResult> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    const result = await ds.transaction((tx) => seedEmptyDatabase(ds, tx, options));
    return { migrationsApplied: applied.map((m) => m.name), ...result };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

async function seedEmptyDatabase(
  ds: DataSource,
  tx: EntityManager,
  options: BootstrapOptions,
): Promise<Omit<BootstrapResult, 'migrationsApplied'>> {
  const users = new UsersRepository(ds);
  if ((await users.count(tx)) > 0) return { adminCreated: false };

  const orgs = new OrganizationsRepository(ds);
  const audit = new AuditRepository();
  const adminPassword = options.adminPassword ?? generatePassword();
  const platform = await orgs.insert(tx, { name: 'OpenCCS platform administration', kind: 'agency' });
  const admin = await users.insert(tx, {
    username: 'admin',
    passwordHash: await hashPassword(adminPassword),
    displayName: 'Administrator',
    organizationId: platform.id,
    systemRole: 'admin',
  });
  await audit.record(tx, {
    actorUserId: null,
    action: 'user.bootstrap_admin',
    subjectType: 'user',
    subjectId: admin.id,
    requestId: null,
  });
  const result: Omit<BootstrapResult, 'migrationsApplied'> = {
    adminCreated: true,
    ...(options.adminPassword === undefined ? { generatedAdminPassword: adminPassword } : {}),
  };
  if (!options.demoData) return result;
  if (!options.profile) throw new Error('demo data needs the deployment profile');
  return { ...result, demoPassword: await seedDemoData(ds, tx, admin.id, options.profile) };
}

/**
 * The profile's demo data set: a small, plausible project so a newcomer has something to look at.
 * Returns the demo people's shared password.
 */
async function seedDemoData(
  ds: DataSource,
  tx: EntityManager,
  adminId: string,
  profile: NonNullable<BootstrapOptions['profile']>,
): Promise<string> {
  const orgs = new OrganizationsRepository(ds);
  const users = new UsersRepository(ds);
  const projects = new ProjectsRepository(ds);
  const audit = new AuditRepository();
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const { demo } = profile;

  const ids = new Map<string, string>();
  for (const org of demo.organizations)
    ids.set(org.key, (await orgs.insert(tx, { name: org.name, kind: org.kind })).id);
  const agencyId = ids.get(demo.project.agency);
  if (!agencyId) throw new Error(`demo project agency ${demo.project.agency} is not a demo organization`);
  const project = await projects.insert(tx, {
    code: demo.project.code,
    title: demo.project.title,
    agencyOrganizationId: agencyId,
    description: demo.project.description ?? null,
    location: demo.project.location ?? null,
    latitude: demo.project.coordinates?.lat ?? null,
    longitude: demo.project.coordinates?.lon ?? null,
    contractAmount: demo.project.contractAmount ?? null,
    contractCurrency: demo.project.contractAmount !== undefined ? profile.currency : null,
    startDate: demo.project.startDate ?? null,
    endDate: demo.project.endDate ?? null,
    status: demo.project.status,
    deadlineBasis: profile.defaults.deadlineBasis,
  });
  await new ApprovalLinesRepository(ds).seedDefaults(project.id, profile.kinds, tx);

  for (const person of demo.people) {
    const organizationId = ids.get(person.organization);
    if (!organizationId)
      throw new Error(`demo person ${person.username}: no organization ${person.organization}`);
    const user = await users.insert(tx, {
      username: person.username,
      passwordHash,
      displayName: person.displayName,
      organizationId,
      systemRole: 'staff',
    });
    await projects.upsertMember(tx, project.id, user.id, person.role);
  }
  await audit.record(tx, {
    actorUserId: adminId,
    action: 'demo_data.seed',
    subjectType: 'project',
    subjectId: project.id,
    requestId: null,
  });
  return password;
}
