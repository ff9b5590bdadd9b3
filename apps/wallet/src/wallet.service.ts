import { pingCommand, ServiceStarted, WALLET_COMMANDS, WALLET_EVENTS } from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';
import { WalletConfigSchema } from './config/wallet-config';

/** The wallet service: what it consumes and produces, and its Nest module. */
export const walletService: ServiceDefinition<typeof WalletConfigSchema> = {
  service: 'wallet',
  configSchema: WalletConfigSchema,
  contracts: [ServiceStarted, pingCommand('wallet'), ...WALLET_COMMANDS, ...WALLET_EVENTS],
  consumes: [ServiceStarted.topic, pingCommand('wallet').topic, ...WALLET_COMMANDS.map((c) => c.topic)],
  module: (runtime) => AppModule.register(runtime),
};
