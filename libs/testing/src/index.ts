export * from './database';
export * from './bench';
export * from './kafka';
export * from './cpu-accounting';
export * from './batch-equivalence';
export * from './query-plans';
export * from './host-probe';
export * from './cost-fit';
