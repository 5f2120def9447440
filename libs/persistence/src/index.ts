export * from './bootstrap';
export * from './credentials';
export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './persistence.module';
export * from './repositories';
export * from './log-key-rotation';
