export * from './platform';
export * from './network';
