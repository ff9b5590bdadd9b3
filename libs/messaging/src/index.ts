export * from './kafka/headers';
export * from './kafka/kafka-client';
export * from './kafka/topology';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
export * from './inbox/inbox-consumer';
export * from './request-reply/request-client';
export * from './migrations';
