export * from './transfer';
export * from './transfer-errors';
export * from './transfer-validation';
export * from './canonical-json';
export * from './chains';
