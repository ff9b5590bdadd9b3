export * from './prisma';
export * from './migrations';
export * from './features/feature-store';
export * from './decisions/decision-store';
export * from './decisions/decision-reader';
export * from './drift/drift-state';
