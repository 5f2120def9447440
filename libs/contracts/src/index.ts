export * from './activities';
export * from './reports';
export * from './temporal';
