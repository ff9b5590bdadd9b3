export * from './topic-names';
export * from './message-contract';
export * from './common/money.schema';
export * from './common/reply.schema';
export * from './platform/service-started.event';
export * from './platform/ping.command';
export * from './wallet';
export * from './scoring';
