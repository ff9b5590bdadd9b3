export * from './prisma';
export * from './migrations';
export * from './wallet.repository';
