import { IdentityAndProjects1764100000000 } from './1764100000000-identity-and-projects';

/** Every migration, in order. Listed explicitly so the bundle and the tests run the same set. */
export const MIGRATIONS = [IdentityAndProjects1764100000000];
