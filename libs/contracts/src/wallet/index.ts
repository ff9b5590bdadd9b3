export * from './wallet-common.schema';
export * from './wallet.commands';
export * from './wallet.events';
