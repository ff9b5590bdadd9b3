export * from './config/service-config';
export * from './logging/json-logger';
export * from './messaging/inbox-transport';
export * from './runtime/service-runtime';
export * from './health/health.controller';
export * from './platform.module';
export * from './bootstrap';
export * from './peers/peers.controller';
