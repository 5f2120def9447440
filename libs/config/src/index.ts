export * from './config';
export * from './config.module';
export * from './logging';
export * from './variables';
export * from './fatal';
export * from './project-root';
export * from './payload-keys';
