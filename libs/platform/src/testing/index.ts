export * from './service-harness';
export * from './service-lifecycle';
export * from './spawn-service';
