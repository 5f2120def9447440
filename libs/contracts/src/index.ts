export * from './activities';
export * from './temporal';
