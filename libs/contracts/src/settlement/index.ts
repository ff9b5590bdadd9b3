export * from './settlement-common.schema';
export * from './settlement.commands';
export * from './settlement.events';
