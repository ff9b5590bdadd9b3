import { pingCommand, ServiceStarted } from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';

/** The scoring service: what it consumes and produces, and its Nest module. */
export const scoringService: ServiceDefinition<never> = {
  service: 'scoring',
  contracts: [ServiceStarted, pingCommand('scoring')],
  consumes: [ServiceStarted.topic, pingCommand('scoring').topic],

  module: (runtime) => AppModule.register(runtime),
};
