import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { z } from 'zod';
import type { ServiceRuntime } from '@paylend/platform';

const SETTLEMENT_RUNTIME = Symbol('SETTLEMENT_RUNTIME');
import type { WalletDeps } from '../wallet/wallet-core';
import { PaymentsMerchantLookup } from './merchant-directory';
import { settlementAccountInputs, type SettlementDeps } from './settlement-core';
import { SETTLEMENT_DEPS, SettlementController } from './settlement.controller';
import { WindowCloser } from './window-closer';

const SettlementEnv = z.object({
  /** How often the clock checks for windows whose day has ended. */
  SETTLEMENT_CLOSE_CHECK_MS: z.coerce.number().int().min(100).default(30_000),
  /** How long settling waits for payments to name a merchant's bank account. */
  SETTLEMENT_PAYMENTS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

class SettlementLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(SETTLEMENT_DEPS) private readonly deps: SettlementDeps,
    @Inject(WindowCloser) private readonly closer: WindowCloser,
    @Inject(SETTLEMENT_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Ledger accounts only, so made even without the settlement tables: captures credit the fee account.
    const results = await this.deps.ledger.createAccounts(settlementAccountInputs(this.deps.currencies));
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`settlement ledger account: ${failed.code} ${failed.message}`);
    const { rows } = await this.runtime.pool.query<{ t: string | null }>(
      `SELECT to_regclass('settlement.windows')::text AS t`,
    );
    this.deps.schemaReady = rows[0]?.t != null;
    if (!this.deps.schemaReady) {
      this.runtime.logger.error(
        'the settlement tables are missing (migration set "settlement"): run npm run db -- migrate; order events will not be cleared',
      );
      return;
    }
    this.closer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.closer.stop();
  }
}

/** The wallet's settlement windows, batches and reconciliation; registered by the wallet's AppModule. */
@Module({})
export class SettlementModule {
  static register(runtime: ServiceRuntime, wallet: WalletDeps): DynamicModule {
    const parsed = SettlementEnv.safeParse(runtime.spec.env ?? process.env);
    if (!parsed.success) {
      throw new Error(
        `settlement config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const env = parsed.data;
    const requests = runtime.requestClient;
    if (!requests)
      throw new Error('settlement needs the request client (wallet service with requests: true)');
    const lookup = new PaymentsMerchantLookup(requests, env.SETTLEMENT_PAYMENTS_TIMEOUT_MS);
    const deps: SettlementDeps = {
      ledger: wallet.ledger,
      clock: wallet.clock,
      merchants: lookup,
      currencies: wallet.tiers.currencies,
      schemaReady: false,
    };
    return {
      module: SettlementModule,
      controllers: [SettlementController],
      providers: [
        { provide: SETTLEMENT_DEPS, useValue: deps },
        {
          provide: WindowCloser,
          useValue: new WindowCloser(deps, runtime.pool, runtime.logger, env.SETTLEMENT_CLOSE_CHECK_MS),
        },
        { provide: SETTLEMENT_RUNTIME, useValue: runtime },
        SettlementLifecycle,
      ],
    };
  }
}
