export * from './prisma';
export * from './migrations';
export * from './idempotency.repository';
