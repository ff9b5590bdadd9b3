import { pingCommand, ServiceStarted, WALLET_COMMANDS } from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';
import { DEV_JWT_SECRET, GatewayConfigSchema } from './config/gateway-config';
import { ErrorBodyFilter } from './http/error.filter';
import { serveOpenApi } from './http/openapi';

const BACKENDS = ['wallet', 'payments', 'lending', 'scoring'] as const;

/** The gateway service: what it consumes and produces, and its Nest module. */
export const gatewayService: ServiceDefinition<typeof GatewayConfigSchema> = {
  service: 'gateway',
  configSchema: GatewayConfigSchema,
  contracts: [ServiceStarted, ...BACKENDS.map(pingCommand), ...WALLET_COMMANDS],
  consumes: [ServiceStarted.topic],
  requests: true,
  module: (runtime) => AppModule.register(runtime),
  configureHttp: (app, runtime) => {
    app.useGlobalFilters(new ErrorBodyFilter(runtime.logger));
    serveOpenApi(app);
    if ((runtime.config as { GATEWAY_JWT_SECRET?: string }).GATEWAY_JWT_SECRET === DEV_JWT_SECRET) {
      runtime.logger.warn(
        'GATEWAY_JWT_SECRET is not set: using the documented development secret (never in production)',
      );
    }
  },
};
