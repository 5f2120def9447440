/**
 * Brings a database to the state the processes expect: every migration applied, and on an empty
 * database the `admin` user and (optionally) the demo data set. Safe to run from several
 * processes at once: a PostgreSQL advisory lock serializes them.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { ProjectRole } from '@openccs/domain';
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
  demoData: boolean;
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
  return { ...result, demoPassword: await seedDemoData(ds, tx, admin.id) };
}

/** A small, plausible project so a newcomer has something to look at. Returns the demo password. */
async function seedDemoData(ds: DataSource, tx: EntityManager, adminId: string): Promise<string> {
  const orgs = new OrganizationsRepository(ds);
  const users = new UsersRepository(ds);
  const projects = new ProjectsRepository(ds);
  const audit = new AuditRepository();
  const password = generatePassword();
  const passwordHash = await hashPassword(password);

  const agency = await orgs.insert(tx, { name: 'Seoul Infrastructure Headquarters', kind: 'agency' });
  const contractor = await orgs.insert(tx, { name: 'Hanbit Construction Co.', kind: 'contractor' });
  const supervisor = await orgs.insert(tx, { name: 'Daehan Construction Supervision', kind: 'supervisor' });

  const project = await projects.insert(tx, {
    code: 'SEOUL-2026-0001',
    title: 'Cheonggyecheon pedestrian bridge seismic retrofit',
    agencyOrganizationId: agency.id,
    description:
      'Seismic retrofit and deck replacement of a pedestrian bridge over the Cheonggyecheon stream.',
    location: 'Jongno-gu, Seoul',
    contractAmount: 4_820_000_000,
    contractCurrency: 'KRW',
    startDate: '2026-03-02',
    endDate: '2027-06-30',
    status: 'in_progress',
  });
  await new ApprovalLinesRepository(ds).seedDefaults(project.id, tx);

  const people: Array<[string, string, string, ProjectRole]> = [
    ['demo.contractor', 'Kim Min-jun', contractor.id, 'contractor'],
    ['demo.supervisor', 'Lee Seo-yeon', supervisor.id, 'supervisor'],
    ['demo.officer', 'Park Ji-ho', agency.id, 'agency_officer'],
    ['demo.head', 'Choi Eun-ji', agency.id, 'agency_head'],
  ];
  for (const [username, displayName, organizationId, role] of people) {
    const user = await users.insert(tx, {
      username,
      passwordHash,
      displayName,
      organizationId,
      systemRole: 'staff',
    });
    await projects.upsertMember(tx, project.id, user.id, role);
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
