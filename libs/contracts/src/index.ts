export * from './activities';
export * from './failures';
export * from './reports';
export * from './temporal';
export * from './feedback';
