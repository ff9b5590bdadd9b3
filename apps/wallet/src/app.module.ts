import { APP_FILTER } from '@nestjs/core';
import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import {
  configOf,
  PeersController,
  pingController,
  PlatformModule,
  PRISMA,
  ServiceRuntime,
} from '@paylend/platform';
import { PgLedger, systemClock } from '@paylend/ledger';
import { createWalletPrisma } from '@paylend/wallet-data-access';
import type { WalletConfigSchema } from './config/wallet-config';
import { ExpirySweeper } from './expiry/expiry.sweeper';
import { RethrowRpcErrors } from './rpc-errors.filter';
import { KycTiers } from './kyc/kyc-tiers';
import { SettlementModule } from './settlement/settlement.module';
import { HANDLER_TIMINGS, WALLET_DEPS, WalletController } from './wallet/wallet.controller';
import { HandlerTimings } from './wallet/handler-timings';
import { systemAccountId, type WalletDeps } from './wallet/wallet-core';

/** Creates the platform's system accounts per currency at start, and runs the expiry sweep while up. */
class WalletLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(WALLET_DEPS) private readonly deps: WalletDeps,
    @Inject(ExpirySweeper) private readonly sweeper: ExpirySweeper,
    @Inject(HANDLER_TIMINGS) private readonly timings: HandlerTimings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const results = await this.deps.ledger.createAccounts(
      this.deps.tiers.currencies.flatMap((currency) => [
        // Cash comes in from banks and agents: the platform's side of every top-up (debit-normal, unbounded).
        { id: systemAccountId('cash-in', currency), currency, normalSide: 'debit' as const },
        { id: systemAccountId('cash-out', currency), currency, normalSide: 'credit' as const },
        { id: systemAccountId('clearing', currency), currency, normalSide: 'credit' as const },
      ]),
    );
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`system ledger account: ${failed.code} ${failed.message}`);
    this.sweeper.start();
    this.timings.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
    this.timings.stop();
  }
}

@Module({})
export class AppModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    const config = configOf<typeof WalletConfigSchema>(runtime);
    // Read at start so a bad tier table stops the service with a message naming the file.
    const tiers = KycTiers.fromFile(config.WALLET_KYC_TIERS_FILE);
    const deps: WalletDeps = {
      ledger: new PgLedger(runtime.pool),
      tiers,
      clock: systemClock,
      withdrawalTimeoutSeconds: config.WALLET_WITHDRAWAL_TIMEOUT_SECONDS,
    };
    return {
      module: AppModule,
      imports: [PlatformModule.forRuntime(runtime), SettlementModule.register(runtime, deps)],
      controllers: [PeersController, pingController('wallet'), WalletController],
      providers: [
        { provide: WALLET_DEPS, useValue: deps },
        {
          provide: ExpirySweeper,
          useValue: new ExpirySweeper(deps, runtime.pool, runtime.logger, config.WALLET_SWEEP_INTERVAL_MS),
        },
        { provide: HANDLER_TIMINGS, useValue: new HandlerTimings(runtime.logger) },
        // Module-level, so it also covers the Kafka handlers (global filters set after connectMicroservice do not).
        { provide: APP_FILTER, useClass: RethrowRpcErrors },
        WalletLifecycle,
        {
          provide: PRISMA,
          useFactory: () => {
            const prisma = createWalletPrisma(runtime.config.databaseUrl);
            runtime.onClose(() => prisma.$disconnect());
            return prisma;
          },
        },
      ],
    };
  }
}
