import { pingCommand, ServiceStarted, WALLET_COMMANDS, WALLET_EVENTS } from '@paylend/contracts';
import { SETTLEMENT_CONSUMED, SETTLEMENT_CONTRACTS } from './settlement/settlement-contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';
import { WalletConfigSchema } from './config/wallet-config';

/** The wallet service: what it consumes and produces, and its Nest module. */
export const walletService: ServiceDefinition<typeof WalletConfigSchema> = {
  service: 'wallet',
  configSchema: WalletConfigSchema,
  contracts: [
    ServiceStarted,
    pingCommand('wallet'),
    ...WALLET_COMMANDS,
    ...WALLET_EVENTS,
    ...SETTLEMENT_CONTRACTS,
  ],
  consumes: [
    ServiceStarted.topic,
    pingCommand('wallet').topic,
    ...WALLET_COMMANDS.map((c) => c.topic),
    ...SETTLEMENT_CONSUMED,
  ],
  requests: true,
  // Commands of one partition share a transaction (one commit, one reply send, one offset commit per chunk);
  // the three partitions are worked in parallel. Wallet rows are locked per command in id order.
  inbox: { maxBatch: 200, partitionsConcurrently: 3 },
  module: (runtime) => AppModule.register(runtime),
};
