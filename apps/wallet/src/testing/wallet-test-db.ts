import { join } from 'node:path';
import { Pool } from 'pg';
import { type Clock, PgLedger } from '@paylend/ledger';
import { freshDatabase, WORKSPACE_ROOT, type TestDatabase } from '@paylend/testing';
import { KycTiers } from '../kyc/kyc-tiers';
import { settlementAccountInputs } from '../settlement/settlement-core';
import { systemAccountId, type WalletDeps } from '../wallet/wallet-core';

/** The migration sets of the wallet service's database, as deployed. */
export const WALLET_TEST_MIGRATIONS = [
  'libs/messaging/migrations',
  'libs/ledger/prisma/migrations',
  'libs/wallet/data-access/prisma/migrations',
  'libs/settlement/prisma/migrations',
];

export interface WalletTestDb {
  db: TestDatabase;
  pool: Pool;
  deps: WalletDeps;
}

/**
 * A fresh wallet database with the ledger's system accounts (cash-in, cash-out, clearing) and settlement's
 * accounts for `currencies`, and the use cases' dependencies on `clock` with the configured tier table.
 */
export async function walletTestDb(
  prefix: string,
  clock: Clock,
  currencies: string[] = ['CNY'],
): Promise<WalletTestDb> {
  const db = await freshDatabase(prefix, WALLET_TEST_MIGRATIONS);
  const pool = new Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => undefined);
  const deps: WalletDeps = {
    ledger: new PgLedger(pool, { clock }),
    tiers: KycTiers.fromFile(join(WORKSPACE_ROOT, 'apps/wallet/config/kyc-tiers.json')),
    clock,
    withdrawalTimeoutSeconds: 60,
  };
  const created = await deps.ledger.createAccounts([
    ...currencies.flatMap((currency) => [
      { id: systemAccountId('cash-in', currency), currency, normalSide: 'debit' as const },
      { id: systemAccountId('cash-out', currency), currency, normalSide: 'credit' as const },
      { id: systemAccountId('clearing', currency), currency, normalSide: 'credit' as const },
    ]),
    ...settlementAccountInputs(currencies),
  ]);
  const refused = created.find((r) => !r.ok);
  if (refused) throw new Error(`setting up the wallet test database: ${JSON.stringify(refused)}`);
  return { db, pool, deps };
}

/** The value of a successful outcome; a refusal fails the test with its code and message. */
export function value<T>(
  r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
