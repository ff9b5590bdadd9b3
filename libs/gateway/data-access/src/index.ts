export * from './prisma';
export * from './migrations';
