import { randomBytes, randomUUID } from 'node:crypto';
import { createKafka } from '@paylend/messaging';
import { TransferPosted } from '@paylend/contracts';
import { testBrokers } from '@paylend/testing';
import { GatewayApi, type ApiResponse } from '../demo/http-client';
import { startWalletStack, type WalletStack } from '../testing/wallet-stack';

jest.setTimeout(180_000);

const run = randomBytes(3).toString('hex');
const cny = (amount: string) => ({ amount, currency: 'CNY' });

let stack: WalletStack;
let api: GatewayApi;

beforeAll(async () => {
  stack = await startWalletStack({
    gatewayEnv: { GATEWAY_WALLET_TIMEOUT_MS: '3000', GATEWAY_RATE_LIMIT_BURST: '1000' },
  });
  api = new GatewayApi(stack.gateway.url);
});
afterAll(async () => {
  await stack?.stop();
});

/** What a well-behaved client does: retry the same request with the same key until it gets a final answer. */
let retries = 0;
async function untilFinal(send: () => Promise<ApiResponse>, deadline: number): Promise<ApiResponse> {
  for (;;) {
    const r = await send().catch(() => ({ status: 599, body: null, headers: new Headers() }) as ApiResponse);
    if (r.status < 500 && r.status !== 409) return r;
    retries++;
    if (Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 500));
  }
}

it('a wallet killed while transfers are in flight loses and duplicates nothing; events reach Kafka', async () => {
  const aId = `rsa-${run}`;
  const bId = `rsb-${run}`;
  const a = await api.devToken(aId);
  const b = await api.devToken(bId);
  const wa = (
    await api.call<{ walletId: string }>('POST', '/v1/wallets', { token: a, body: { currency: 'CNY' } })
  ).body.walletId;
  const wb = (
    await api.call<{ walletId: string }>('POST', '/v1/wallets', { token: b, body: { currency: 'CNY' } })
  ).body.walletId;
  // Deposits are reported by the bank's side: an operator here.
  const bank = await api.devToken(`bank-${run}`, ['operator']);
  const top = await api.call('POST', `/v1/wallets/${wa}/top-ups`, {
    token: bank,
    idempotencyKey: 'auto',
    body: { amount: cny('500.00'), participant: 'bank.x', depositReference: `r-${run}` },
  });
  expect([top.status, top.body]).toEqual([201, expect.anything()]);

  const deadline = Date.now() + 120_000;
  const keys = Array.from({ length: 40 }, () => `k-${randomUUID()}`);
  // Paced, one every 20 ms for 800 ms, so the kill at 150 ms lands in the middle of the stream however fast
  // the wallet answers: transfers are on the wire both when it dies and while it is down.
  const inFlight = keys.map(async (key, i) => {
    await new Promise((r) => setTimeout(r, i * 20));
    return untilFinal(
      () =>
        api.call('POST', `/v1/wallets/${wa}/transfers`, {
          token: a,
          idempotencyKey: key,
          body: { toUserId: bId, amount: cny('1.00'), note: `n${i}` },
        }),
      deadline,
    );
  });
  await new Promise((r) => setTimeout(r, 150));
  await stack.restartWallet('SIGKILL');
  const results = await Promise.all(inFlight);
  expect(results.map((r) => r.status)).toEqual(keys.map(() => 201));
  // The kill did catch requests in flight: some had to be retried (504 while the wallet was down).
  expect(retries).toBeGreaterThan(0);

  const balance = async (token: string, w: string) =>
    (await api.call<{ balance: { amount: string } }>('GET', `/v1/wallets/${w}`, { token })).body.balance
      .amount;
  expect(await balance(a, wa)).toBe('460.00');
  expect(await balance(b, wb)).toBe('40.00');
  const lines = (
    await api.call<{ lines: Array<{ kind: string; transferId: string }> }>(
      'GET',
      `/v1/wallets/${wa}/statement?limit=500`,
      { token: a },
    )
  ).body.lines;
  const p2p = lines.filter((l) => l.kind === 'p2p-out');
  expect(p2p).toHaveLength(40);
  expect(new Set(p2p.map((l) => l.transferId)).size).toBe(40);
  // Each response names the transfer the ledger recorded: one per key, none twice.
  const ids = results.map((r) => `p2p:${(r.body as { transferId: string }).transferId}`);
  expect(new Set(ids)).toEqual(new Set(p2p.map((l) => l.transferId)));

  // Every posted transfer was announced through the outbox (at least once; consumers dedupe by message id).
  const consumer = createKafka({ brokers: testBrokers(), clientId: `restart-test-${run}` }).consumer({
    groupId: `restart-test-${run}`,
  });
  const seen = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topics: [TransferPosted.topic], fromBeginning: true });
  const wanted = new Set(results.map((r) => (r.body as { transferId: string }).transferId));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`saw ${[...wanted].filter((id) => seen.has(id)).length}/40 transfer events`)),
      60_000,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        const v = JSON.parse(message.value?.toString() ?? '{}') as {
          transferId?: string;
          fromWalletId?: string;
        };
        if (v.fromWalletId === wa && v.transferId) seen.add(v.transferId);
        if ([...wanted].every((id) => seen.has(id))) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  }).finally(() => consumer.disconnect());
});
