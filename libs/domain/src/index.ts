export * from './approval-line';
export * from './duration';
export * from './vocabulary';
export * from './errors';
export * from './report';
export * from './deadlines';
export * from './escalation';
export * from './notifications';
