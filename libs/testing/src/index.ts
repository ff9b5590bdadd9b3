export * from './database';
export * from './bench';
