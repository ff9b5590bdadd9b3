export * from './account';
export * from './account-errors';
export * from './account-validation';
export * from './balance';
export * from './status';
