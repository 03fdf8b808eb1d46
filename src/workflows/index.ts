// Every workflow the worker runs; the worker bundles this file.
export * from './platform';
export * from './component';
export * from './provision';
export * from './destroy';
export * from './drift';
export * from './failover';
export * from './health-monitor';
