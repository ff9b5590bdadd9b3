import {
  PAYMENTS_COMMANDS,
  PAYMENTS_EVENTS,
  pingCommand,
  ServiceStarted,
  WALLET_COMMANDS,
} from '@paylend/contracts';
import { warnOnDevelopmentSecret, type ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';
import { systemClock, type Clock } from './common/clock';
import { DEV_PAYMENT_CODE_SECRET, PaymentsConfigSchema } from './config/payments-config';

/** The payments service with a given clock (tests pass a TestClock to move expiries and code windows). */
export function paymentsServiceWith(
  opts: { clock?: Clock } = {},
): ServiceDefinition<typeof PaymentsConfigSchema> {
  return {
    service: 'payments',
    configSchema: PaymentsConfigSchema,
    contracts: [
      ServiceStarted,
      pingCommand('payments'),
      ...PAYMENTS_COMMANDS,
      ...PAYMENTS_EVENTS,
      ...WALLET_COMMANDS,
    ],
    consumes: [ServiceStarted.topic, pingCommand('payments').topic, ...PAYMENTS_COMMANDS.map((c) => c.topic)],
    requests: true,
    // Commands of a partition share a transaction (one commit per chunk); partitions are handled at once.
    inbox: { maxBatch: 50, partitionsConcurrently: 3 },
    module: (runtime) => AppModule.register(runtime, opts.clock ?? systemClock),
    configureHttp: (_app, runtime) =>
      warnOnDevelopmentSecret(
        runtime,
        'PAYMENT_CODE_SECRET',
        DEV_PAYMENT_CODE_SECRET,
        'anyone can forge payment codes',
      ),
  };
}

/** The payments service: what it consumes and produces, and its Nest module. */
export const paymentsService = paymentsServiceWith();
