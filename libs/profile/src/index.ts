export * from './body-schemas';
export * from './load';
export * from './profile';
export * from './profile.module';
