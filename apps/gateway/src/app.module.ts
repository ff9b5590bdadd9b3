import { type DynamicModule, Module } from '@nestjs/common';
import { configOf, PeersController, PlatformModule, PRISMA, type ServiceRuntime } from '@paylend/platform';
import { createGatewayPrisma, IdempotencyRepository } from '@paylend/gateway-data-access';
import { AuthGuard } from './auth/auth.guard';
import type { GatewayConfigSchema } from './config/gateway-config';
import { DevTokensController } from './dev/dev-tokens.controller';
import { GATEWAY_CONFIG, IDEMPOTENCY, JWT_SETTINGS, RATE_LIMITER, WALLET_CLIENT } from './http/tokens';
import { WalletClient } from './http/wallet.client';
import { IdempotencyService } from './idempotency/idempotency.service';
import { PingController } from './platform/ping.controller';
import { PAYMENTS_CONTROLLERS } from './payments';
import { SETTLEMENT_CONTROLLERS } from './settlement';
import { ScoringController } from './scoring/scoring.controller';
import { RateLimiter } from './rate-limit/token-bucket';
import { WalletsController } from './wallets/wallets.controller';

@Module({})
export class AppModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    const config = configOf<typeof GatewayConfigSchema>(runtime);
    return {
      module: AppModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [
        PeersController,
        PingController,
        WalletsController,
        ...PAYMENTS_CONTROLLERS,
        ...SETTLEMENT_CONTROLLERS,
        ScoringController,
        ...(config.GATEWAY_DEV_TOKENS ? [DevTokensController] : []),
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        {
          provide: JWT_SETTINGS,
          useValue: {
            secret: config.GATEWAY_JWT_SECRET,
            issuer: config.GATEWAY_JWT_ISSUER,
            audience: config.GATEWAY_JWT_AUDIENCE,
          },
        },
        {
          provide: RATE_LIMITER,
          useValue: new RateLimiter(config.GATEWAY_RATE_LIMIT_PER_MINUTE, config.GATEWAY_RATE_LIMIT_BURST),
        },
        {
          provide: IDEMPOTENCY,
          useValue: new IdempotencyService(
            new IdempotencyRepository(runtime.pool),
            config.GATEWAY_IDEMPOTENCY_LOCK_MS,
          ),
        },
        {
          provide: WALLET_CLIENT,
          useValue: new WalletClient(() => {
            if (!runtime.requestClient) throw new Error('the gateway has no request client');
            return runtime.requestClient;
          }, config.GATEWAY_WALLET_TIMEOUT_MS),
        },
        AuthGuard,
        {
          provide: PRISMA,
          useFactory: () => {
            const prisma = createGatewayPrisma(runtime.config.databaseUrl);
            runtime.onClose(() => prisma.$disconnect());
            return prisma;
          },
        },
      ],
    };
  }
}
