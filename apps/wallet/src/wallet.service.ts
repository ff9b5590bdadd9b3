import { pingCommand, ServiceStarted } from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';

/** The wallet service: what it consumes and produces, and its Nest module. */
export const walletService: ServiceDefinition<never> = {
  service: 'wallet',
  contracts: [ServiceStarted, pingCommand('wallet')],
  consumes: [ServiceStarted.topic, pingCommand('wallet').topic],

  module: (runtime) => AppModule.register(runtime),
};
