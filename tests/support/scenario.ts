/** A project with a contractor, two supervisors, two officers and a head, ready for reports. */
import {
  addMember,
  createOrganization,
  createProject,
  createUser,
  type Org,
  type Project,
  type User,
} from './factories';

export interface Cast {
  project: Project;
  agency: Org;
  contractor: User;
  contractor2: User;
  supervisor: User;
  supervisor2: User;
  officer: User;
  officer2: User;
  head: User;
  outsider: User;
}

export async function castProject(): Promise<Cast> {
  const agency = await createOrganization('agency');
  const builder = await createOrganization('contractor');
  const supervision = await createOrganization('supervisor');
  const project = await createProject(agency);
  const [contractor, contractor2, supervisor, supervisor2, officer, officer2, head, outsider] =
    await Promise.all([
      createUser(builder),
      createUser(builder),
      createUser(supervision),
      createUser(supervision),
      createUser(agency),
      createUser(agency),
      createUser(agency),
      createUser(builder),
    ]);
  const cast = {
    project,
    agency,
    contractor,
    contractor2,
    supervisor,
    supervisor2,
    officer,
    officer2,
    head,
    outsider,
  } as Cast;
  await addMember(project, cast.contractor, 'contractor');
  await addMember(project, cast.contractor2, 'contractor');
  await addMember(project, cast.supervisor, 'supervisor');
  await addMember(project, cast.supervisor2, 'supervisor');
  await addMember(project, cast.officer, 'agency_officer');
  await addMember(project, cast.officer2, 'agency_officer');
  await addMember(project, cast.head, 'agency_head');
  return cast;
}
