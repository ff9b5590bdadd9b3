import { startTestService, spawnService, type SpawnedService } from '@paylend/platform/testing';
import type { RunningService } from '@paylend/platform';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
import { gatewayService } from '../gateway.service';

// The sets tools/db applies to the wallet's database, in order (tools/db/registry.ts).
export const WALLET_MIGRATIONS = [
  'libs/messaging/migrations',
  'libs/ledger/prisma/migrations',
  'libs/wallet/data-access/prisma/migrations',
  'libs/settlement/prisma/migrations',
];
export const GATEWAY_MIGRATIONS = ['libs/messaging/migrations', 'libs/gateway/data-access/prisma/migrations'];

export interface WalletStack {
  gateway: RunningService;
  wallet: SpawnedService;
  walletDb: TestDatabase;
  gatewayDb: TestDatabase;
  /** Stops the wallet process with `signal` and starts a new one on the same database. */
  restartWallet(signal: NodeJS.Signals, whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The gateway in-process and the wallet as its own process (as deployed), each on a fresh database, over
 * the real broker. The gateway mints development tokens.
 */
export async function startWalletStack(
  opts: { gatewayEnv?: Record<string, string>; walletEnv?: Record<string, string> } = {},
): Promise<WalletStack> {
  const walletDb = await freshDatabase('wallet', WALLET_MIGRATIONS);
  const gatewayDb = await freshDatabase('gateway', GATEWAY_MIGRATIONS);
  const walletEnv = { WALLET_DATABASE_URL: walletDb.url, ...(opts.walletEnv ?? {}) };
  const gateway = await startTestService(gatewayService, gatewayDb.url, {
    GATEWAY_DEV_TOKENS: 'true',
    ...(opts.gatewayEnv ?? {}),
  });
  let wallet: SpawnedService;
  try {
    wallet = await spawnService('wallet', walletEnv);
  } catch (err) {
    await gateway.stop();
    throw err;
  }
  const stack: WalletStack = {
    gateway,
    wallet,
    walletDb,
    gatewayDb,
    async restartWallet(signal, whileDown) {
      await stack.wallet.terminate(signal);
      reportProblems(stack.wallet);
      await whileDown?.();
      stack.wallet = await spawnService('wallet', walletEnv);
    },
    async stop() {
      await stack.wallet.terminate('SIGTERM');
      reportProblems(stack.wallet);
      await gateway.stop();
      await walletDb.drop();
      await gatewayDb.drop();
    },
  };
  return stack;
}

/** Shows the wallet process's warnings and errors, so a failing test says what the service saw. */
function reportProblems(wallet: SpawnedService): void {
  const problems = wallet.lines.filter(
    (l) =>
      /"level":"(warn|error|fatal)"/.test(l) && !/kafka .*(rebalanc|coordinator|not the leader)/i.test(l),
  );
  if (problems.length > 0)
    process.stderr.write(`wallet ${wallet.instanceId} logged:\n${problems.slice(-30).join('\n')}\n`);
}
