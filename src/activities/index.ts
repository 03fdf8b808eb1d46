export * from './platform';
export * from './network';
export * from './validate';
export * from './components';
export * from './drift';
export * from './disaster-recovery';
export * from './runs';
