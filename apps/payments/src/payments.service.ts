import { pingCommand, ServiceStarted } from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';

/** The payments service: what it consumes and produces, and its Nest module. */
export const paymentsService: ServiceDefinition<never> = {
  service: 'payments',
  contracts: [ServiceStarted, pingCommand('payments')],
  consumes: [ServiceStarted.topic, pingCommand('payments').topic],

  module: (runtime) => AppModule.register(runtime),
};
