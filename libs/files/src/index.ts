export * from './types';
export * from './sniff';
export * from './store';
export * from './derive';
export * from './hash';
