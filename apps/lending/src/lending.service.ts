import { pingCommand, ServiceStarted } from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';

/** The lending service: what it consumes and produces, and its Nest module. */
export const lendingService: ServiceDefinition<never> = {
  service: 'lending',
  contracts: [ServiceStarted, pingCommand('lending')],
  consumes: [ServiceStarted.topic, pingCommand('lending').topic],

  module: (runtime) => AppModule.register(runtime),
};
