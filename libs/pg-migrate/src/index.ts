export * from './migrator';
export * from './database-url';
