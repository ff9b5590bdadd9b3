export * from './pg-ledger';
export * from './group-commit';
export * from './invariants';
export { postBatch } from './batch-poster';
export type { Queryable } from './rows';
