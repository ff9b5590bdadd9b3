import { pingCommand, ServiceStarted, WALLET_COMMANDS } from '@paylend/contracts';
import { warnOnDevelopmentSecret, type ServiceDefinition } from '@paylend/platform';
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
    warnOnDevelopmentSecret(
      runtime,
      'GATEWAY_JWT_SECRET',
      DEV_JWT_SECRET,
      "anyone can sign an operator's token",
    );
  },
};
