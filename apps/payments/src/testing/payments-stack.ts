import type { Producer } from 'kafkajs';
import {
  type Actor,
  type CommandContract,
  openWalletCommand,
  topUpCommand,
  onboardMerchantCommand,
  pingCommand,
} from '@paylend/contracts';
import { createKafka, ensureTopics, RequestClient } from '@paylend/messaging';
import type { RunningService } from '@paylend/platform';
import { spawnService, startTestService, type SpawnedService } from '@paylend/platform/testing';
import { eventually, freshDatabase, testBrokers, uniqueName, type TestDatabase } from '@paylend/testing';
import { TestClock } from '../common/clock';
import { paymentsServiceWith } from '../payments.service';

export const OPERATOR: Actor = { userId: 'op-1', roles: ['operator'] };

export interface PaymentsStack {
  clock: TestClock;
  payments: RunningService;
  wallet: SpawnedService;
  /** Sends a command as the gateway would and returns its reply envelope. */
  request<T, R>(contract: CommandContract<T, R>, value: T, timeoutMs?: number): Promise<R>;
  consumer(userId: string, topUp: string, currency?: string): Promise<{ actor: Actor; walletId: string }>;
  merchant(
    merchantId: string,
    ownerUserId: string,
    extra?: { feeRate?: string; currency?: string },
  ): Promise<{ actor: Actor; walletId: string }>;
  stop(): Promise<void>;
}

function expectOk<R>(
  what: string,
  reply: { ok: true; value: R } | { ok: false; error: { code: string; message: string } },
): R {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.value;
}

/**
 * The real wallet (its own process, as deployed) and the payments service (in-process, on a TestClock),
 * each with a fresh database, over the real broker; and a request client standing in for the gateway.
 */
export async function startPaymentsStack(env: Record<string, string> = {}): Promise<PaymentsStack> {
  const dbs: TestDatabase[] = [];
  const walletDb = await freshDatabase('wallet', [
    'libs/messaging/migrations',
    'libs/ledger/prisma/migrations',
    'libs/wallet/data-access/prisma/migrations',
    // Without the settlement set the wallet does not clear orders into windows; the fee is booked by the
    // capture itself, so merchants' wallets show captures net of fees all the same.
  ]);
  dbs.push(walletDb);
  const paymentsDb = await freshDatabase('payments', [
    'libs/messaging/migrations',
    'libs/payments/data-access/prisma/migrations',
  ]);
  dbs.push(paymentsDb);
  const clock = new TestClock(new Date());
  const wallet = await spawnService('wallet', { WALLET_DATABASE_URL: walletDb.url }, 120_000);
  let payments: RunningService | undefined;
  let producer: Producer | undefined;
  let client: RequestClient | undefined;
  try {
    payments = await startTestService(paymentsServiceWith({ clock }), paymentsDb.url, {
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '1000',
      ORDER_EXPIRY_SWEEP_MS: '100',
      WALLET_TIMEOUT_MS: '15000',
      // The test drives recovery itself.
      PENDING_RECOVERY_MS: '600000',
      ...env,
    });
    const kafka = createKafka({ brokers: testBrokers(), clientId: uniqueName('payments-test') });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, { topics: ['gateway.replies.v1'], consumed: [] });
    // Consumer groups are named after services, so another run's wallet or payments on this broker would
    // take some partitions and answer from its own database: wait until ours are the only members.
    await eventually(
      'no other wallet or payments instance in the consumer groups (another test run is using the broker)',
      async () => {
        const { groups } = await admin.describeGroups(['wallet', 'payments']);
        return groups.every((g) => g.state === 'Stable' && g.members.length === 1);
      },
      180_000,
    );
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    client = new RequestClient(kafka, producer, 'gateway', uniqueName('payments-test'));
    await client.start();
    // "ready" is logged before the consumer group has settled: wait until both answer a round trip.
    for (const service of ['wallet', 'payments'] as const) {
      const c = client;
      await eventually(
        `${service} answers a ping`,
        async () => {
          try {
            const r = await c.request(
              pingCommand(service),
              { from: 'payments-test', sentAt: new Date().toISOString() },
              3000,
            );
            return r.ok;
          } catch {
            return false;
          }
        },
        90_000,
      );
    }
  } catch (err) {
    await payments?.stop();
    await wallet.terminate('SIGKILL');
    for (const d of dbs) await d.drop();
    throw err;
  }
  const c = client;
  const request = <T, R>(contract: CommandContract<T, R>, value: T, timeoutMs = 15_000) =>
    c.request(contract, value, timeoutMs);
  let deposits = 0;
  return {
    clock,
    payments,
    wallet,
    request,
    async consumer(userId, topUp, currency = 'CNY') {
      const actor: Actor = { userId, roles: ['consumer'] };
      const w = expectOk('open wallet', await request(openWalletCommand, { actor, userId, currency }));
      if (topUp !== '0') {
        expectOk(
          'top up',
          await request(topUpCommand, {
            // The bank's integration reports the deposit, as a service.
            actor: { userId: 'svc-test-bank', roles: ['service'] },
            walletId: w.walletId,
            amount: { amount: topUp, currency },
            participant: 'test-bank',
            depositReference: `dep-${userId}-${++deposits}`,
          }),
        );
      }
      return { actor, walletId: w.walletId };
    },
    async merchant(merchantId, ownerUserId, extra = {}) {
      const actor: Actor = { userId: ownerUserId, roles: ['merchant'] };
      const m = expectOk(
        'onboard merchant',
        await request(onboardMerchantCommand, {
          actor,
          merchantId,
          name: 'Lucky Coffee',
          city: 'Shanghai',
          country: 'CN',
          mcc: '5814',
          currency: extra.currency ?? 'CNY',
          settlementAccount: 'CN-ICBC-6222020000000001',
          feeRate: extra.feeRate ?? '0.006',
        }),
      );
      // Onboarding opens a merchant wallet (the tier table's merchant tier): no consumer cap to lift.
      return { actor, walletId: m.walletId };
    },
    async stop() {
      await c.stop().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
      await payments!.stop();
      await wallet.terminate('SIGTERM');
      for (const d of dbs) await d.drop();
    },
  };
}
