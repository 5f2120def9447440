import { IdentityAndProjects1764100000000 } from './1764100000000-identity-and-projects';
import { ReportsReadModel1764200000000 } from './1764200000000-reports-read-model';
import { DeadlinesEscalationsNotifications1764300000000 } from './1764300000000-deadlines-escalations-notifications';
import { DisclosureLog1764400000000 } from './1764400000000-disclosure-log';
import { LoginLockout1764500000000 } from './1764500000000-login-lockout';
import { LogFrontier1764600000000 } from './1764600000000-log-frontier';
import { ProjectRecordCounts1764700000000 } from './1764700000000-project-record-counts';
import { LogNodes1764800000000 } from './1764800000000-log-nodes';
import { HostileInput1764900000000 } from './1764900000000-hostile-input';
import { ProjectCodeCase1765000000000 } from './1765000000000-project-code-case';
import { KindSnapshots1765100000000 } from './1765100000000-kind-snapshots';
import { Files1765200000000 } from './1765200000000-files';
import { ConsoleSessions1765300000000 } from './1765300000000-console-sessions';
import { ProjectCoordinates1765400000000 } from './1765400000000-project-coordinates';
import { Feedback1765500000000 } from './1765500000000-feedback';
import { OneTimePasswords1765600000000 } from './1765600000000-one-time-passwords';
import { LogKeyRotations1765700000000 } from './1765700000000-log-key-rotations';
import { LoginClients1765900000000 } from './1765900000000-login-clients';

/** Every migration, in order. Listed explicitly so the bundle and the tests run the same set. */
export const MIGRATIONS = [
  IdentityAndProjects1764100000000,
  ReportsReadModel1764200000000,
  DeadlinesEscalationsNotifications1764300000000,
  DisclosureLog1764400000000,
  LoginLockout1764500000000,
  LogFrontier1764600000000,
  ProjectRecordCounts1764700000000,
  LogNodes1764800000000,
  HostileInput1764900000000,
  ProjectCodeCase1765000000000,
  KindSnapshots1765100000000,
  Files1765200000000,
  ConsoleSessions1765300000000,
  ProjectCoordinates1765400000000,
  Feedback1765500000000,
  OneTimePasswords1765600000000,
  LogKeyRotations1765700000000,
  LoginClients1765900000000,
];
