export * from './payments-common.schema';
export * from './payments.commands';
export * from './payments.events';
