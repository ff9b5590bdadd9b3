import { pingCommand, ServiceStarted } from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';

const BACKENDS = ['wallet', 'payments', 'lending', 'scoring'] as const;

/** The gateway service: what it consumes and produces, and its Nest module. */
export const gatewayService: ServiceDefinition<never> = {
  service: 'gateway',
  contracts: [ServiceStarted, ...BACKENDS.map(pingCommand)],
  consumes: [ServiceStarted.topic],
  requests: true,
  module: (runtime) => AppModule.register(runtime),
};
