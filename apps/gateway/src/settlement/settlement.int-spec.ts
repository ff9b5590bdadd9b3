import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnService, startTestService, type SpawnedService } from '@paylend/platform/testing';
import type { RunningService } from '@paylend/platform';
import { freshDatabase, WORKSPACE_ROOT, type TestDatabase } from '@paylend/testing';
import type {
  BreakView,
  OrderView,
  ReconciliationView,
  SettlementOutcomeView,
  SettlementWindowView,
  WalletView,
} from '@paylend/contracts';
import { gatewayService } from '../gateway.service';
import { writeCamt053 as camt053 } from '@paylend/settlement';

/*
 * Settlement end to end, as deployed: the gateway (in-process), the wallet and payments (own processes)
 * over the real broker and PostgreSQL. A day of real QR payments and refunds settles to the right merchant
 * payouts; a camt.053 statement with a reversal and a batch-booked line reconciles; a deliberately wrong
 * statement produces exactly the expected breaks, and their audited resolution brings the accounts to zero.
 */
jest.setTimeout(240_000);

const dbs: TestDatabase[] = [];
let gateway: RunningService;
let wallet: SpawnedService;
let payments: SpawnedService;

interface Res<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

async function call<T = unknown>(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; key?: string | true; raw?: { type: string; text: string } } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  if (opts.key) headers['idempotency-key'] = opts.key === true ? `k-${randomUUID()}` : opts.key;
  let body: string | undefined;
  if (opts.raw) {
    headers['content-type'] = opts.raw.type;
    body = opts.raw.text;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* CSV and other text stay text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

/** The error body every refusal carries. */
function code(r: Res): string | undefined {
  return (r.body as { code?: string } | null)?.code;
}

function ok<T>(what: string, r: Res<T>, ...statuses: number[]): T {
  if (!statuses.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.text}`);
  return r.body;
}

const token = async (sub: string, roles: string[]) =>
  ok('token', await call<{ token: string }>('POST', '/v1/dev/tokens', { body: { sub, roles } }), 201).token;
const cny = (amount: string) => ({ amount, currency: 'CNY' });

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

type Closed = { closed: SettlementWindowView; next: SettlementWindowView };
type Resolved = { break: BreakView; ledgerAccounts: ReconciliationView['ledgerAccounts']; balanced: boolean };

let operator: string;
const merchants: Record<string, { owner: string; walletId: string }> = {};
const consumers: Record<string, { token: string; walletId: string }> = {};

async function onboard(merchantId: string, feeRate: string, bank: string) {
  const owner = await token(`owner-${merchantId}`, ['merchant']);
  // 503 asks the client to retry: the first payments -> wallet request may wait for consumer groups to settle.
  const m = await waitFor(
    'onboarding',
    async () => {
      const r = await call<{ walletId: string }>('POST', '/v1/merchants', {
        token: owner,
        body: {
          merchantId,
          name: `Shop ${merchantId}`,
          city: 'Shanghai',
          country: 'CN',
          mcc: '5814',
          currency: 'CNY',
          settlementAccount: bank,
          feeRate,
        },
      });
      return r.status === 503 ? undefined : ok('onboard', r, 200, 201);
    },
    60_000,
  );
  merchants[merchantId] = { owner, walletId: m.walletId };
}

async function consumer(userId: string) {
  const t = await token(userId, ['consumer']);
  const w = ok(
    'open wallet',
    await call<WalletView>('POST', '/v1/wallets', { token: t, body: { currency: 'CNY' } }),
    200,
    201,
  );
  ok(
    'top up',
    await call('POST', `/v1/wallets/${w.walletId}/top-ups`, {
      token: await token(`bank-${userId}`, ['operator']),
      key: true,
      body: { amount: cny('450.00'), participant: 'bank.icbc', depositReference: `dep-${userId}` },
    }),
    201,
  );
  consumers[userId] = { token: t, walletId: w.walletId };
}

/** A real merchant-presented QR payment: the merchant creates the order, the consumer scans and pays. */
async function payQr(
  merchantId: string,
  payer: string,
  amount: string,
): Promise<{ orderId: string; fee: string }> {
  const order = ok(
    'order',
    await call<OrderView>('POST', `/v1/merchants/${merchantId}/orders`, {
      token: merchants[merchantId]!.owner,
      key: true,
      body: { amount: cny(amount), expiresInSeconds: 900 },
    }),
    201,
  );
  const paid = ok(
    'pay',
    await call<OrderView>('POST', '/v1/payments/scan', {
      token: consumers[payer]!.token,
      key: true,
      body: { walletId: consumers[payer]!.walletId, qrPayload: order.qrPayload },
    }),
    201,
  );
  expect(paid.status).toBe('SUCCEEDED');
  return { orderId: paid.orderId, fee: paid.fee.amount };
}

async function refund(merchantId: string, orderId: string, amount: string) {
  ok(
    'refund',
    await call('POST', `/v1/orders/${orderId}/refunds`, {
      token: merchants[merchantId]!.owner,
      key: true,
      body: { amount: cny(amount), reason: 'item missing' },
    }),
    201,
  );
}

async function openWindowWith(count: number) {
  return waitFor(`the open window to hold ${count} cleared transfers`, async () => {
    const ws = ok(
      'windows',
      await call<SettlementWindowView[]>('GET', '/v1/settlement/windows?scheme=qr-cny&status=OPEN', {
        token: operator,
      }),
      200,
    );
    return ws[0]?.transferCount === count ? ws[0] : undefined;
  });
}

async function balanceOf(walletId: string): Promise<string> {
  return ok('wallet', await call<WalletView>('GET', `/v1/wallets/${walletId}`, { token: operator }), 200)
    .balance.amount;
}

beforeAll(async () => {
  const walletDb = await freshDatabase('wallet', [
    'libs/messaging/migrations',
    'libs/ledger/prisma/migrations',
    'libs/wallet/data-access/prisma/migrations',
    'libs/settlement/prisma/migrations',
  ]);
  dbs.push(walletDb);
  const gatewayDb = await freshDatabase('gateway', [
    'libs/messaging/migrations',
    'libs/gateway/data-access/prisma/migrations',
  ]);
  dbs.push(gatewayDb);
  const paymentsDb = await freshDatabase('payments', [
    'libs/messaging/migrations',
    'libs/payments/data-access/prisma/migrations',
  ]);
  dbs.push(paymentsDb);
  gateway = await startTestService(gatewayService, gatewayDb.url, {
    GATEWAY_DEV_TOKENS: 'true',
    GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
    GATEWAY_RATE_LIMIT_BURST: '10000',
  });
  wallet = await spawnService('wallet', { WALLET_DATABASE_URL: walletDb.url }, 120_000);
  payments = await spawnService('payments', { PAYMENTS_DATABASE_URL: paymentsDb.url }, 120_000);
  operator = await token('op-grace', ['operator']);
  // The first commands wait for the services' consumer groups to settle; wait until the wallet answers.
  const warm = await token('warm-up', ['consumer']);
  await waitFor(
    'the wallet to answer',
    async () => {
      const r = await call('POST', '/v1/wallets', { token: warm, body: { currency: 'CNY' } });
      return r.status === 200 || r.status === 201 ? true : undefined;
    },
    90_000,
  );
}, 240_000);

afterAll(async () => {
  const problems = [...(wallet?.lines ?? []), ...(payments?.lines ?? [])].filter((l) =>
    /"level":"(error|fatal)"/.test(l),
  );
  if (problems.length > 0) process.stderr.write(`services logged:\n${problems.slice(-20).join('\n')}\n`);
  await payments?.terminate('SIGTERM');
  await wallet?.terminate('SIGTERM');
  await gateway?.stop();
  for (const d of dbs) await d.drop();
});

describe('settlement through the gateway', () => {
  let day1: string;
  let payouts: SettlementOutcomeView['instructions'];

  it('a day of real QR payments and refunds settles to the right merchant payouts', async () => {
    await onboard('tea-house', '0.006', 'CN-ICBC-6222-1111');
    await onboard('noodle-bar', '0.01', 'CN-BOC-6216-2222');
    await consumer('amy');
    await consumer('ben');
    const o1 = await payQr('tea-house', 'amy', '36.80');
    const o2 = await payQr('tea-house', 'ben', '100.00');
    const o3 = await payQr('noodle-bar', 'amy', '58.00');
    expect([o1.fee, o2.fee, o3.fee]).toEqual(['0.22', '0.60', '0.58']);
    await refund('tea-house', o1.orderId, '10.00');
    const open = await openWindowWith(4);

    const consumerClose = await call('POST', '/v1/settlement/windows/close', {
      token: consumers['amy']!.token,
      key: true,
      body: { scheme: 'qr-cny' },
    });
    expect([consumerClose.status, code(consumerClose)]).toEqual([403, 'FORBIDDEN']);
    const closed = ok(
      'close',
      await call<Closed>('POST', '/v1/settlement/windows/close', {
        token: operator,
        key: true,
        body: { scheme: 'qr-cny' },
      }),
      200,
    );
    expect(closed.closed).toMatchObject({
      windowId: open.windowId,
      status: 'CLOSED',
      closedBy: 'operator:op-grace',
      transferCount: 4,
    });
    expect(closed.next).toMatchObject({ status: 'OPEN', sequence: closed.closed.sequence + 1 });
    day1 = closed.closed.windowId;

    const key = `settle-${day1}`;
    const settled = ok(
      'settle',
      await call<SettlementOutcomeView>('POST', `/v1/settlement/windows/${day1}/settle`, {
        token: operator,
        key,
      }),
      200,
    );
    expect(settled).toMatchObject({
      alreadySettled: false,
      postedTransfers: 2,
      window: { status: 'SETTLED' },
    });
    payouts = settled.instructions;
    // tea-house: 36.80 + 100.00 - 0.82 fees - 10.00 refund; noodle-bar: 58.00 - 0.58.
    expect(payouts.map((i) => [i.participant, i.direction, i.amount, i.bankAccount]).sort()).toEqual([
      ['merchant:noodle-bar', 'payout', '57.42', 'CN-BOC-6216-2222'],
      ['merchant:tea-house', 'payout', '125.98', 'CN-ICBC-6222-1111'],
    ]);
    expect(await balanceOf(merchants['tea-house']!.walletId)).toBe('0.00');
    expect(await balanceOf(merchants['noodle-bar']!.walletId)).toBe('0.00');

    const replay = await call('POST', `/v1/settlement/windows/${day1}/settle`, { token: operator, key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const again = ok(
      'settle again',
      await call<SettlementOutcomeView>('POST', `/v1/settlement/windows/${day1}/settle`, {
        token: operator,
        key: true,
      }),
      200,
    );
    expect(again).toMatchObject({ alreadySettled: true, postedTransfers: 0 });

    const csv = await call('GET', `/v1/settlement/reports/${day1}?format=csv`, { token: operator });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text).toContain('merchant:tea-house,CNY,3,136.80,0.00,10.00,0.82,125.98');
    expect(csv.text).toContain('merchant:noodle-bar,CNY,1,58.00,0.00,0.00,0.58,57.42');
    const json = ok(
      'report',
      await call<{ windowId: string; status: string }>('GET', `/v1/settlement/reports/${day1}?format=json`, {
        token: operator,
      }),
      200,
    );
    expect(json).toMatchObject({ windowId: day1, status: 'SETTLED' });
    const notYet = await call('GET', `/v1/settlement/reports/${closed.next.windowId}?format=csv`, {
      token: operator,
    });
    expect([notYet.status, code(notYet)]).toEqual([409, 'WINDOW_NOT_SETTLED']);
  });

  it('a camt.053 statement with a reversal and a batch-booked line reconciles; clearing and suspense are zero', async () => {
    const [a, b] = [...payouts].sort((x, y) => (x.participant < y.participant ? -1 : 1));
    const total = (Number(a!.amount.replace('.', '')) + Number(b!.amount.replace('.', ''))).toString();
    const xml = camt053({
      statementId: 'STMT-DAY1',
      currency: 'CNY',
      date: new Date().toISOString().slice(0, 10),
      lines: [
        {
          ref: 'B1',
          amount: `${total.slice(0, -2)}.${total.slice(-2)}`,
          direction: 'DBIT',
          valueDate: new Date().toISOString().slice(0, 10),
          batchOf: day1,
          txs: [a!, b!].map((i) => ({ endToEndId: i.reference, amount: i.amount })),
        },
        {
          ref: 'D1',
          amount: b!.amount,
          direction: 'DBIT',
          valueDate: new Date().toISOString().slice(0, 10),
          txs: [{ endToEndId: b!.reference, amount: b!.amount }],
        },
        {
          ref: 'R1',
          amount: b!.amount,
          direction: 'CRDT',
          reversal: true,
          valueDate: new Date().toISOString().slice(0, 10),
          txs: [{ endToEndId: b!.reference, amount: b!.amount }],
        },
      ],
    });
    const rec = ok(
      'import',
      await call<ReconciliationView>('POST', '/v1/settlement/statements', {
        token: operator,
        key: true,
        raw: { type: 'application/xml', text: xml },
      }),
      201,
    );
    expect(rec).toMatchObject({
      format: 'camt.053.001.08',
      windowIds: [day1],
      entries: 3,
      matched: 2,
      reversals: 1,
      breaks: [],
      balanced: true,
    });
    expect(rec.ledgerAccounts.map((x) => [x.accountId, x.balance])).toEqual([
      ['settlement:clearing:CNY', '0.00'],
      ['settlement:suspense:CNY', '0.00'],
    ]);
    const dup = await call('POST', '/v1/settlement/statements', {
      token: operator,
      key: true,
      raw: { type: 'application/xml', text: xml },
    });
    expect([dup.status, code(dup)]).toEqual([409, 'STATEMENT_ALREADY_IMPORTED']);
  });

  it('a deliberately wrong statement produces exactly the expected breaks, resolved with an audit trail', async () => {
    await payQr('tea-house', 'ben', '20.00');
    await payQr('noodle-bar', 'ben', '30.00');
    const open = await openWindowWith(2);
    const closed = ok(
      'close',
      await call<Closed>('POST', '/v1/settlement/windows/close', {
        token: operator,
        key: true,
        body: { scheme: 'qr-cny' },
      }),
      200,
    );
    expect(closed.closed.windowId).toBe(open.windowId);
    const settled = ok(
      'settle',
      await call<SettlementOutcomeView>('POST', `/v1/settlement/windows/${open.windowId}/settle`, {
        token: operator,
        key: true,
      }),
      200,
    );
    const by = (m: string) => settled.instructions.find((i) => i.participant === `merchant:${m}`)!;
    expect([by('tea-house').amount, by('noodle-bar').amount]).toEqual(['19.88', '29.70']);

    // tea-house's payout is missing, noodle-bar's was paid 0.70 short, and a 5.00 debit nobody sent.
    const day = new Date().toISOString().slice(0, 10);
    const csv = [
      'date,value_date,amount,currency,reference,entry_id,description',
      `${day},${day},-29.00,CNY,${by('noodle-bar').reference},W1,Payout`,
      `${day},${day},-5.00,CNY,PLP-NOT-OURS-0001,W2,Unknown debit`,
    ].join('\n');
    const wrong = await call<ReconciliationView>(
      'POST',
      `/v1/settlement/statements?windowId=${open.windowId}`,
      { token: operator, key: true, raw: { type: 'text/csv', text: csv } },
    );
    const rec = ok('import wrong', wrong, 201);
    expect(rec.balanced).toBe(false);
    expect(rec.matched).toBe(0);
    expect(rec.breaks.map((x) => [x.kind, x.cause, x.participant, x.expected, x.actual]).sort()).toEqual([
      ['amount_mismatch', 'bank_amount_differs', 'merchant:noodle-bar', '29.70', '29.00'],
      ['missing_in_bank', 'no_bank_entry', 'merchant:tea-house', '19.88', null],
      ['missing_in_ledger', 'no_ledger_entry', null, null, '5.00'],
    ]);
    const listed = ok(
      'breaks',
      await call<BreakView[]>('GET', '/v1/settlement/breaks', { token: operator }),
      200,
    );
    expect(listed.map((x) => x.breakId).sort()).toEqual(rec.breaks.map((x) => x.breakId).sort());
    const forbidden = await call('GET', '/v1/settlement/breaks', { token: merchants['tea-house']!.owner });
    expect(forbidden.status).toBe(403);

    const find = (kind: string) => rec.breaks.find((x) => x.kind === kind)!.breakId;
    const resolve = (kind: string, body: unknown) =>
      call<Resolved>('POST', `/v1/settlement/breaks/${find(kind)}/resolve`, {
        token: operator,
        key: true,
        body,
      });
    ok(
      'resolve missing',
      await resolve('missing_in_bank', {
        reason: 'payout bounced, owed to the merchant again',
        target: { kind: 'participant', participant: 'merchant:tea-house' },
      }),
      200,
    );
    expect(await balanceOf(merchants['tea-house']!.walletId)).toBe('19.88');
    ok(
      'resolve mismatch',
      await resolve('amount_mismatch', { reason: 'bank charge, accepted', target: { kind: 'write_off' } }),
      200,
    );
    const last = ok(
      'resolve unknown',
      await resolve('missing_in_ledger', {
        reason: 'bank error, claim filed',
        target: { kind: 'write_off' },
      }),
      200,
    );
    expect(last.balanced).toBe(true);
    expect(last.ledgerAccounts.every((x) => x.zero)).toBe(true);
    const twice = await resolve('missing_in_ledger', { reason: 'again', target: { kind: 'write_off' } });
    expect([twice.status, code(twice)]).toEqual([409, 'BREAK_ALREADY_RESOLVED']);

    expect(
      ok('open breaks', await call<BreakView[]>('GET', '/v1/settlement/breaks', { token: operator }), 200),
    ).toEqual([]);
    const resolved = ok(
      'resolved breaks',
      await call<BreakView[]>('GET', '/v1/settlement/breaks?status=RESOLVED', { token: operator }),
      200,
    );
    expect(resolved).toHaveLength(3);
    for (const r of resolved) {
      expect(r.resolution).toMatchObject({
        operator: 'op-grace',
        sourceIp: expect.stringMatching(/127\.0\.0\.1/),
        resolvedAt: expect.any(String),
      });
      expect(r.resolution!.result).toMatch(/^resolved: 1 posting/);
    }
  });

  it('the settlement demo scenario runs as `npm run demo` runs it and ends with ledger, report and bank agreeing', async () => {
    const scenario = join(WORKSPACE_ROOT, 'tools', 'scripts', 'demo', 'settlement-scenario.mjs');
    const script = `import(${JSON.stringify(scenario)}).then((m) => m.default({ gatewayUrl: ${JSON.stringify(gateway.url)}, services: {}, say: (l = '') => console.log(l) })).catch((e) => { console.error(e); process.exit(1); })`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: WORKSPACE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exit = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (exit !== 0) throw new Error(`scenario failed (${exit}):\n${out}`);
    // dumpling: 48.00 + 25.50 - fees 0.29 + 0.15 - refund 8.00; bookshop: 120.00 - 1.20.
    expect(out).toMatch(/merchant:dumpling-\w+ +3 +73\.50 +8\.00 +0\.44 +65\.06/);
    expect(out).toMatch(/merchant:bookshop-\w+ +1 +120\.00 +0\.00 +1\.20 +118\.80/);
    expect(out).toMatch(/settling again posts 0 transfers/);
    expect(out).toMatch(/2 instructions matched, 1 reversal paired, 0 breaks/);
    expect(out).toMatch(/ledger, settlement report and bank agree: yes/);
    const csv = /CSV report saved as (\S+\.csv)/.exec(out)?.[1];
    expect(csv && existsSync(join(WORKSPACE_ROOT, csv))).toBe(true);
    process.stdout.write(out);
  });
});
