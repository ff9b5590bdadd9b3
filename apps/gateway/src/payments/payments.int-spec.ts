import { randomBytes } from 'node:crypto';
import { crc16ccitt } from '@paylend/emv-qr';
import { spawnService, type SpawnedService } from '@paylend/platform/testing';
import { eventually, freshDatabase, type TestDatabase } from '@paylend/testing';
import { GatewayApi } from '../demo/http-client';
import { aloneInGroups } from './alone-in-groups';
import { startWalletStack, type WalletStack } from '../testing/wallet-stack';

/*
 * Payments end to end through the gateway: HTTP -> gateway (auth, idempotency, error bodies) -> Kafka ->
 * payments -> Kafka -> wallet -> ledger, each service on its own database, payments and wallet as processes.
 */
jest.setTimeout(120_000);

const run = randomBytes(3).toString('hex');
const uid = (name: string) => `${name}-${run}`;
const cny = (amount: string) => ({ amount, currency: 'CNY' });

interface Order {
  orderId: string;
  status: string;
  qrPayload: string | null;
  amount: { amount: string };
  refunded: { amount: string };
  fee: { amount: string };
}

let stack: WalletStack;
let paymentsDb: TestDatabase;
let payments: SpawnedService;
let api: GatewayApi;

beforeAll(async () => {
  stack = await startWalletStack({
    gatewayEnv: { GATEWAY_RATE_LIMIT_BURST: '200', GATEWAY_RATE_LIMIT_PER_MINUTE: '6000' },
  });
  paymentsDb = await freshDatabase('payments', [
    'libs/messaging/migrations',
    'libs/payments/data-access/prisma/migrations',
  ]);
  payments = await spawnService('payments', { PAYMENTS_DATABASE_URL: paymentsDb.url }, 90_000);
  await aloneInGroups(['wallet', 'payments'], 100_000);
  api = new GatewayApi(stack.gateway.url);
}, 180_000);

afterAll(async () => {
  await payments?.terminate('SIGTERM');
  await stack?.stop();
  await paymentsDb?.drop();
});

async function consumer(name: string, topUp: string) {
  const id = uid(name);
  const token = await api.devToken(id, ['consumer']);
  const w = await api.call<{ walletId: string }>('POST', '/v1/wallets', { token, body: { currency: 'CNY' } });
  expect(w.status).toBe(201);
  // Deposits are reported by the bank's side: an operator here.
  const t = await api.call('POST', `/v1/wallets/${w.body.walletId}/top-ups`, {
    token: await api.devToken(uid('bank'), ['operator']),
    idempotencyKey: 'auto',
    body: {
      amount: cny(topUp),
      participant: 'bank.icbc',
      depositReference: `dep-${randomBytes(6).toString('hex')}`,
    },
  });
  expect(t.status).toBe(201);
  return { id, token, walletId: w.body.walletId };
}

async function balanceOf(token: string, walletId: string): Promise<string> {
  const r = await api.call<{ balance: { amount: string } }>('GET', `/v1/wallets/${walletId}`, { token });
  return r.body.balance.amount;
}

describe('payments routes through the gateway', () => {
  it('merchant QR, scan and pay, refunds, payment code, with auth, per-object access and idempotency', async () => {
    const merchantId = uid('m');
    const owner = await api.devToken(uid('shop-owner'), ['merchant']);
    const onboard = await api.call('POST', '/v1/merchants', {
      token: owner,
      body: {
        merchantId,
        name: 'Lucky Coffee',
        city: 'Shanghai',
        country: 'CN',
        mcc: '5814',
        currency: 'CNY',
        settlementAccount: 'CN-ICBC-0001',
        feeRate: '0.006',
      },
    });
    expect(onboard.status).toBe(201);
    expect(onboard.body).toMatchObject({ merchantId, feeRate: '0.006', status: 'active' });

    // No token: 401 with the gateway's error body.
    const anonymous = await api.call('POST', `/v1/merchants/${merchantId}/orders`, {
      body: { amount: cny('1.00') },
      idempotencyKey: 'auto',
    });
    expect(anonymous.status).toBe(401);

    // A dynamic QR, created idempotently.
    const key = `order-${randomBytes(6).toString('hex')}`;
    const created = await api.call<Order>('POST', `/v1/merchants/${merchantId}/orders`, {
      token: owner,
      idempotencyKey: key,
      body: { amount: cny('42.00'), reference: 'TABLE-7', expiresInSeconds: 600 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'CREATED', amount: { amount: '42.00' } });
    const replay = await api.call<Order>('POST', `/v1/merchants/${merchantId}/orders`, {
      token: owner,
      idempotencyKey: key,
      body: { amount: cny('42.00'), reference: 'TABLE-7', expiresInSeconds: 600 },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.orderId).toBe(created.body.orderId);
    const noKey = await api.call('POST', `/v1/merchants/${merchantId}/orders`, {
      token: owner,
      body: { amount: cny('1.00') },
    });
    expect(noKey.status).toBe(400);

    const png = await fetch(`${stack.gateway.url}/v1/orders/${created.body.orderId}/qr`, {
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toMatch(/^image\/png/);
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    // Another merchant cannot see or refund it.
    const rival = await api.devToken(uid('rival'), ['merchant']);
    expect((await api.call('GET', `/v1/orders/${created.body.orderId}`, { token: rival })).status).toBe(404);

    const alice = await consumer('alice', '200.00');
    // A tampered QR: amount edited, CRC recomputed.
    const payload = created.body.qrPayload!;
    const body = payload.slice(0, -4).replace('540542.00', '54040.01');
    const tampered = body + crc16ccitt(body);
    const refused = await api.call('POST', '/v1/payments/scan', {
      token: alice.token,
      idempotencyKey: 'auto',
      body: { walletId: alice.walletId, qrPayload: tampered },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'QR_TAMPERED' });

    const payKey = `pay-${randomBytes(6).toString('hex')}`;
    const paid = await api.call<Order>('POST', '/v1/payments/scan', {
      token: alice.token,
      idempotencyKey: payKey,
      body: { walletId: alice.walletId, qrPayload: payload },
    });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ status: 'SUCCEEDED', fee: { amount: '0.25' } });
    const paidAgain = await api.call<Order>('POST', '/v1/payments/scan', {
      token: alice.token,
      idempotencyKey: payKey,
      body: { walletId: alice.walletId, qrPayload: payload },
    });
    expect(paidAgain.status).toBe(201);
    expect(paidAgain.headers.get('idempotent-replayed')).toBe('true');
    const twice = await api.call('POST', '/v1/payments/scan', {
      token: alice.token,
      idempotencyKey: 'auto',
      body: { walletId: alice.walletId, qrPayload: payload },
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'ORDER_NOT_PAYABLE' });
    expect(await balanceOf(alice.token, alice.walletId)).toBe('158.00');
    // The payer may see her order; a stranger may not.
    expect((await api.call('GET', `/v1/orders/${created.body.orderId}`, { token: alice.token })).status).toBe(
      200,
    );

    // Refunds: part, then too much, then the rest.
    const part = await api.call<{ order: Order }>('POST', `/v1/orders/${created.body.orderId}/refunds`, {
      token: owner,
      idempotencyKey: 'auto',
      body: { amount: cny('10.00'), reason: 'cold coffee' },
    });
    expect(part.status).toBe(201);
    expect(part.body.order).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: { amount: '10.00' } });
    const tooMuch = await api.call('POST', `/v1/orders/${created.body.orderId}/refunds`, {
      token: owner,
      idempotencyKey: 'auto',
      body: { amount: cny('32.01') },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURED' });
    const byRival = await api.call('POST', `/v1/orders/${created.body.orderId}/refunds`, {
      token: rival,
      idempotencyKey: 'auto',
      body: { amount: cny('1.00') },
    });
    expect(byRival.status).toBe(404);
    expect(await balanceOf(alice.token, alice.walletId)).toBe('168.00');

    // A payment code shown by the consumer, charged by the merchant's POS.
    const code = await api.call<{ code: string }>('GET', `/v1/wallets/${alice.walletId}/payment-code`, {
      token: alice.token,
    });
    expect(code.status).toBe(200);
    expect(code.body.code).toMatch(/^28[0-9]{16}$/);
    expect(
      (await api.call('GET', `/v1/wallets/${alice.walletId}/payment-code`, { token: rival })).status,
    ).toBe(403);
    const charged = await api.call<Order>('POST', `/v1/merchants/${merchantId}/charges`, {
      token: owner,
      idempotencyKey: 'auto',
      body: { code: code.body.code, amount: cny('8.00') },
    });
    expect(charged.status).toBe(201);
    expect(charged.body).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '8.00' } });
    const reused = await api.call('POST', `/v1/merchants/${merchantId}/charges`, {
      token: owner,
      idempotencyKey: 'auto',
      body: { code: code.body.code, amount: cny('8.00') },
    });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'PAYMENT_CODE_USED' });
    expect(await balanceOf(alice.token, alice.walletId)).toBe('160.00');

    const list = await api.call<{ orders: Order[] }>('GET', `/v1/merchants/${merchantId}/orders?limit=10`, {
      token: owner,
    });
    expect(list.status).toBe(200);
    expect(list.body.orders.map((o) => o.status).sort()).toEqual(['PARTIALLY_REFUNDED', 'SUCCEEDED']);

    const hook = await api.call<{ keyId: string; secret: string }>(
      'PUT',
      `/v1/merchants/${merchantId}/webhook`,
      {
        token: owner,
        body: { url: 'https://merchant.example/paylend' },
      },
    );
    expect(hook.status).toBe(200);
    expect(hook.body.secret).toMatch(/^whsec_/);
    const docs = await api.call<{ paths: Record<string, unknown> }>('GET', '/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/payments/scan',
        '/v1/merchants/{merchantId}/orders',
        '/v1/orders/{orderId}/refunds',
        '/v1/wallets/{walletId}/payment-code',
      ]),
    );
    await eventually('payments is still up', () => payments.process.exitCode === null);
  });
});
