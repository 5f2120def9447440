export * from './merkle';
export * from './policy';
export * from './record';
export * from './tree-head';
export * from './verify';
export * from './oc4ids';
export * from './open-data';
