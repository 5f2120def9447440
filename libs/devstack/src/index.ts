export * from './embedded-postgres';
export * from './local-secrets';
export * from './processes';
export * from './temporal-cli';
export * from './temporal-dev-server';
export * from './postmaster';
export { projectRoot } from '@openccs/config';
