import fc from 'fast-check';
import { Pool, type PoolClient } from 'pg';
import type { Actor, PayloadOf, payQrCommand } from '@paylend/contracts';
import { TestClock } from '@paylend/ledger';
import { batchAgainstOneByOne, freshDatabase, type TestDatabase } from '@paylend/testing';
import { replyOf } from '../common/payments-error';
import type { PaymentsConfig } from '../config/payments-config';
import { merchantRepository, type MerchantRow } from '../merchant/merchant.repository';
import { orderRepository } from '../order/order.repository';
import { dynamicQrPayload, staticQrPayload } from '../qr/merchant-qr';
import type { WalletPort } from '../wallet/wallet-port';
import { PaymentService } from './payment.service';

/*
 * The set-based pay path must answer and write exactly as `payQr` applied command by command: same replies
 * (started payments, refusals, "still processing"), same order rows and history. Each example runs both
 * from the same committed state, each in a transaction that is rolled back. Starting a payment never calls
 * the wallet (the driver does, after the commit), so the wallet here fails any call.
 */
jest.setTimeout(300_000);

type PayQr = PayloadOf<typeof payQrCommand>;

const NOW = new Date('2026-06-01T12:00:00.000Z');
const clock = new TestClock(NOW);
const noWallet = new Proxy(
  {},
  {
    get: (_t, name) => () => {
      throw new Error(`starting a payment must not call the wallet (${String(name)})`);
    },
  },
) as WalletPort;
const service = new PaymentService(noWallet, clock, { WALLET_TIMEOUT_MS: 5000 } as PaymentsConfig);

let db: TestDatabase;
let pool: Pool;
const merchant = (id: string, status: 'active' | 'suspended'): MerchantRow => ({
  id,
  ownerUserId: `owner-${id}`,
  name: 'Lucky Noodles',
  city: 'Shanghai',
  country: 'CN',
  mcc: '5814',
  currency: 'CNY',
  settlementAccount: 'CN-0001',
  feeRate: '0.006',
  walletId: `w-${id}`,
  status,
  createdAt: NOW,
});
const shop = merchant('shop', 'active');
const closed = merchant('closed', 'suspended');

/** The dynamic orders every example can name: payable, expired, pending (recent or old), paid, foreign. */
const ORDERS = [
  { id: 'o-a', m: shop, amount: 1234n },
  { id: 'o-b', m: shop, amount: 99n },
  { id: 'o-c', m: shop, amount: 500_00n },
  { id: 'o-expired', m: shop, amount: 700n, expiresAt: new Date(NOW.getTime() - 1000) },
  { id: 'o-pending', m: shop, amount: 300n, pending: { payer: 'wa', at: NOW } },
  { id: 'o-stale', m: shop, amount: 300n, pending: { payer: 'wq', at: new Date(NOW.getTime() - 60_000) } },
  { id: 'o-paid', m: shop, amount: 4200n, status: 'SUCCEEDED' as const },
  { id: 'o-suspended', m: closed, amount: 800n },
];
const payload = (o: (typeof ORDERS)[number], amount = o.amount) =>
  dynamicQrPayload(o.m, { orderId: o.id, amountMinor: amount, reference: null });

const PAYERS: Record<string, Actor> = {
  wa: { userId: 'ua', roles: ['consumer'] },
  wb: { userId: 'ub', roles: ['consumer'] },
  wz: { userId: 'uz', roles: ['consumer'] },
  /** Started o-stale long ago and never pays again here (its retry would capture, which needs a wallet). */
  wq: { userId: 'uq', roles: ['consumer'] },
};

beforeAll(async () => {
  db = await freshDatabase('pay_qr_batch', [
    'libs/messaging/migrations',
    'libs/payments/data-access/prisma/migrations',
  ]);
  pool = new Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => undefined);
  for (const m of [shop, closed]) {
    const { status: _status, ...row } = m;
    await merchantRepository.insert(pool, row);
    await merchantRepository.setStatus(pool, m.id, m.status);
  }
  for (const o of ORDERS) {
    const inserted = (await orderRepository.insert(pool, {
      id: o.id,
      merchantId: o.m.id,
      kind: 'dynamic-qr',
      status: 'CREATED',
      currency: 'CNY',
      amountMinor: o.amount,
      reference: null,
      qrPayload: payload(o),
      payerWalletId: null,
      payerUserId: null,
      expiresAt: o.expiresAt ?? null,
      createdAt: new Date(NOW.getTime() - 120_000),
      requestHash: `h-${o.id}`,
    }))!;
    if (o.pending || o.status) {
      const payer = o.pending?.payer ?? 'wb';
      await pool.query(
        `UPDATE orders SET status = $2, payer_wallet_id = $3, payer_user_id = $4, hold_id = $5, updated_at = $6,
           captured_minor = CASE WHEN $2 = 'SUCCEEDED' THEN amount_minor ELSE 0 END
         WHERE id = $1`,
        [
          inserted.id,
          o.status ?? 'PENDING',
          payer,
          PAYERS[payer]!.userId,
          `pay:${o.id}:${payer}`,
          o.pending?.at ?? NOW,
        ],
      );
    }
  }
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function state(tx: PoolClient) {
  const orders = await tx.query(
    `SELECT id, status, captured_minor, payer_wallet_id, payer_user_id, hold_id, failure_code, updated_at,
       amount_minor, request_hash, kind, qr_payload FROM orders ORDER BY id`,
  );
  // Each order's history in order; rows of different orders may interleave differently (a chunk writes its
  // dynamic-QR orders together).
  const history = await tx.query(
    'SELECT order_id, from_status, to_status, detail, at FROM order_history ORDER BY order_id, id',
  );
  return { orders: orders.rows, history: history.rows };
}

interface Draw {
  target: string;
  payer: string;
  staticId: string;
  staticMinor: bigint;
}

function payCommand({ target, payer, staticId, staticMinor }: Draw): PayQr {
  const base = { actor: PAYERS[payer]!, payerWalletId: payer };
  const order = ORDERS.find((o) => o.id === target);
  if (order) return { ...base, qrPayload: payload(order) };
  switch (target) {
    case 'tampered':
      return { ...base, qrPayload: payload(ORDERS[0]!, 1n) };
    case 'unknown':
      return { ...base, qrPayload: payload({ id: 'o-nope', m: shop, amount: 100n }) };
    case 'static':
      return {
        ...base,
        qrPayload: staticQrPayload(shop),
        amount: { amount: (Number(staticMinor) / 100).toFixed(2), currency: 'CNY' },
        orderId: staticId,
      };
    case 'garbage':
      return { ...base, qrPayload: '000201garbage' };
    default:
      return { ...base, qrPayload: staticQrPayload(shop) }; // static without amount and order id
  }
}

const command = fc
  .record({
    target: fc.constantFrom(
      ...ORDERS.map((o) => o.id),
      'o-a',
      'o-a',
      'o-b',
      'tampered',
      'unknown',
      'static',
      'static',
      'garbage',
      'no-order-id',
    ),
    payer: fc.constantFrom('wa', 'wa', 'wb', 'wz'),
    staticId: fc.constantFrom('s-1', 's-2', 's-3', 'o-a'),
    staticMinor: fc.constantFrom(1n, 250n, 99_999n),
  })
  .map(payCommand);

/** One chunk drawing every answer, so the coverage check below holds whatever the random runs draw. */
const EVERY_ANSWER: PayQr[] = (
  [
    ['o-a', 'wa'],
    ['o-pending', 'wa'],
    ['tampered', 'wa'],
    ['unknown', 'wb'],
    ['o-expired', 'wb'],
    ['o-paid', 'wz'],
    ['o-suspended', 'wa'],
    ['garbage', 'wb'],
    ['no-order-id', 'wz'],
    ['static', 'wa'],
  ] as const
).map(([target, payer]) => payCommand({ target, payer, staticId: 'o-a', staticMinor: 250n }));

async function compare(cmds: PayQr[]) {
  const { many, one } = await batchAgainstOneByOne(
    pool,
    cmds,
    (tx, c) => service.payQrMany(tx, c),
    (tx, c) => replyOf(tx, () => service.payQr(tx, c)),
    state,
  );
  expect(many.out).toEqual(one.out);
  expect(many.state).toEqual(one.state);
  return many.out;
}

test('a chunk of pay commands answers and writes exactly as the commands one by one', async () => {
  const seen = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (cmds) => {
      const out = await compare(cmds);
      for (const r of out) seen.add(r.ok ? r.value.kind : r.error.code);
    }),
    { numRuns: 150, examples: [[EVERY_ANSWER]] },
  );
  // The examples reached every kind of answer, so the property compared each of them.
  expect([...seen].sort()).toEqual(
    [
      'started',
      'pending',
      'QR_TAMPERED',
      'ORDER_NOT_FOUND',
      'ORDER_EXPIRED',
      'ORDER_NOT_PAYABLE',
      'MERCHANT_SUSPENDED',
      'QR_INVALID',
      'AMOUNT_INVALID',
      'ORDER_EXISTS',
    ].sort(),
  );
});

test('of 20 attempts on one order in one chunk, only the first starts it', async () => {
  const o = ORDERS[0]!;
  const cmds = Array.from({ length: 20 }, (_, i) => ({
    actor: PAYERS[i % 2 ? 'wa' : 'wb']!,
    payerWalletId: i % 2 ? 'wa' : 'wb',
    qrPayload: payload(o),
  }));
  const out = await compare(cmds);
  expect(out.filter((r) => r.ok && r.value.kind === 'started')).toHaveLength(1);
  expect(out[0]).toMatchObject({
    ok: true,
    value: { kind: 'started', orderId: o.id, holdId: `pay:${o.id}:wb` },
  });
});
