import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SignJWT, UnsecuredJWT } from 'jose';
import { eventually } from '@paylend/testing';
import { DEV_JWT_SECRET } from '../config/gateway-config';
import { GatewayApi, type Role } from '../demo/http-client';
import { startWalletStack, type WalletStack } from '../testing/wallet-stack';

/*
 * End to end: HTTP -> gateway -> Kafka -> wallet -> ledger (PostgreSQL) -> reply, against the real broker
 * and databases. Users get a random suffix so stray messages of earlier runs can never match them.
 */
jest.setTimeout(120_000);

const run = randomBytes(3).toString('hex');
const uid = (name: string) => `${name}-${run}`;
const cny = (amount: string) => ({ amount, currency: 'CNY' });

interface Wallet {
  walletId: string;
  userId: string;
  balance: { amount: string; currency: string };
  available: { amount: string; currency: string };
  status: string;
  tier: number;
}

let stack: WalletStack;
let api: GatewayApi;
let operator: string;

beforeAll(async () => {
  stack = await startWalletStack({
    gatewayEnv: {
      GATEWAY_RATE_LIMIT_BURST: '150',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '3000',
      GATEWAY_WALLET_TIMEOUT_MS: '5000',
    },
    walletEnv: { WALLET_SWEEP_INTERVAL_MS: '200', WALLET_WITHDRAWAL_TIMEOUT_SECONDS: '4' },
  });
  api = new GatewayApi(stack.gateway.url);
  operator = await api.devToken(uid('olga'), ['operator']);
});

afterAll(async () => {
  await stack?.stop();
});

async function user(
  name: string,
  roles: Role[] = ['consumer'],
): Promise<{ id: string; token: string; wallet: Wallet }> {
  const id = uid(name);
  const token = await api.devToken(id, roles);
  const r = await api.call<Wallet>('POST', '/v1/wallets', { token, body: { currency: 'CNY' } });
  expect(r.status).toBe(201);
  return { id, token, wallet: r.body };
}

/** A deposit into `walletId`, reported as the bank's side does: by an operator, never the wallet's owner. */
async function topUp(walletId: string, amount: string) {
  return api.call('POST', `/v1/wallets/${walletId}/top-ups`, {
    token: operator,
    idempotencyKey: 'auto',
    body: {
      amount: cny(amount),
      participant: 'bank.icbc',
      depositReference: `dep-${randomBytes(6).toString('hex')}`,
    },
  });
}

async function balance(token: string, walletId: string): Promise<string> {
  const r = await api.call<Wallet>('GET', `/v1/wallets/${walletId}`, { token });
  expect(r.status).toBe(200);
  return r.body.balance.amount;
}

describe('authentication', () => {
  it('refuses a missing token, alg none, another algorithm, a foreign secret, issuer or audience, and an expired token', async () => {
    const key = new TextEncoder().encode(DEV_JWT_SECRET);
    const good = () =>
      new SignJWT({ roles: ['operator'] })
        .setSubject(uid('mallory'))
        .setIssuer('paylend-dev')
        .setAudience('paylend-api')
        .setExpirationTime('1h');
    const tokens: Record<string, string | undefined> = {
      missing: undefined,
      none: new UnsecuredJWT({ roles: ['operator'] })
        .setSubject(uid('mallory'))
        .setIssuer('paylend-dev')
        .setAudience('paylend-api')
        .setExpirationTime('1h')
        .encode(),
      hs512: await good().setProtectedHeader({ alg: 'HS512' }).sign(key),
      foreignSecret: await good()
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('x'.repeat(40))),
      foreignIssuer: await good().setProtectedHeader({ alg: 'HS256' }).setIssuer('evil').sign(key),
      foreignAudience: await good().setProtectedHeader({ alg: 'HS256' }).setAudience('other').sign(key),
      expired: await good()
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(Math.floor(Date.now() / 1000) - 30)
        .sign(key),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const r = await api.call('GET', '/v1/wallets', token ? { token } : {});
      expect({ name, status: r.status }).toEqual({ name, status: 401 });
      expect(r.body).toMatchObject({ code: expect.stringMatching(/^TOKEN_/), message: expect.any(String) });
      expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});

describe('wallet operations', () => {
  it('opens one wallet per user and currency, refuses an unsupported currency, and lists own wallets', async () => {
    const a = await user('ann');
    const again = await api.call<Wallet>('POST', '/v1/wallets', {
      token: a.token,
      body: { currency: 'CNY' },
    });
    expect(again.status).toBe(200);
    expect(again.body.walletId).toBe(a.wallet.walletId);
    const usd = await api.call<Wallet>('POST', '/v1/wallets', { token: a.token, body: { currency: 'USD' } });
    expect(usd.status).toBe(201);
    expect(usd.body.walletId).not.toBe(a.wallet.walletId);
    const eur = await api.call('POST', '/v1/wallets', { token: a.token, body: { currency: 'EUR' } });
    expect(eur.status).toBe(422);
    expect(eur.body).toMatchObject({ code: 'CURRENCY_UNSUPPORTED' });
    const list = await api.call<Wallet[]>('GET', '/v1/wallets', { token: a.token });
    expect(list.body.map((w) => w.balance.currency).sort()).toEqual(['CNY', 'USD']);
    expect(a.wallet).toMatchObject({
      status: 'active',
      tier: 0,
      balance: cny('0.00'),
      available: cny('0.00'),
    });
  });

  it('tops up (the same deposit reference is credited once), transfers with a note, and shows both statements', async () => {
    const a = await user('amy');
    const b = await user('ben');
    const deposit = { amount: cny('300.00'), participant: 'agent.shop-17', depositReference: `dep-${run}-1` };
    // The wallet's owner cannot report a deposit into it: that would be money nobody paid in.
    const own = await api.call('POST', `/v1/wallets/${a.wallet.walletId}/top-ups`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { ...deposit, depositReference: `dep-${run}-own` },
    });
    expect([own.status, (own.body as { code: string }).code]).toEqual([403, 'FORBIDDEN']);
    expect(await balance(a.token, a.wallet.walletId)).toBe('0.00');
    const t1 = await api.call('POST', `/v1/wallets/${a.wallet.walletId}/top-ups`, {
      token: operator,
      idempotencyKey: 'auto',
      body: deposit,
    });
    expect(t1.status).toBe(201);
    expect(t1.body).toMatchObject({ kind: 'top-up', amount: cny('300.00'), replayed: false });
    // The agent reports the same deposit again under another key: no second credit.
    const t2 = await api.call('POST', `/v1/wallets/${a.wallet.walletId}/top-ups`, {
      token: operator,
      idempotencyKey: 'auto',
      body: deposit,
    });
    expect(t2.status).toBe(201);
    expect(t2.body).toMatchObject({ replayed: true });
    expect(await balance(a.token, a.wallet.walletId)).toBe('300.00');

    const p = await api.call('POST', `/v1/wallets/${a.wallet.walletId}/transfers`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { toUserId: b.id, amount: cny('120.50'), note: 'dinner' },
    });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({
      kind: 'p2p',
      amount: cny('120.50'),
      note: 'dinner',
      fromWalletId: a.wallet.walletId,
      toWalletId: b.wallet.walletId,
    });
    expect(await balance(a.token, a.wallet.walletId)).toBe('179.50');
    expect(await balance(b.token, b.wallet.walletId)).toBe('120.50');

    const sa = await api.call<{ lines: Array<Record<string, unknown>>; nextCursor: string | null }>(
      'GET',
      `/v1/wallets/${a.wallet.walletId}/statement`,
      { token: a.token },
    );
    expect(sa.status).toBe(200);
    expect(sa.body.lines).toEqual([
      expect.objectContaining({
        kind: 'top-up',
        direction: 'in',
        amount: cny('300.00'),
        balanceAfter: cny('300.00'),
        counterparty: 'agent.shop-17',
      }),
      expect.objectContaining({
        kind: 'p2p-out',
        direction: 'out',
        amount: cny('120.50'),
        balanceAfter: cny('179.50'),
        note: 'dinner',
        counterparty: b.id,
      }),
    ]);
    const sb = await api.call<{ lines: Array<Record<string, unknown>> }>(
      'GET',
      `/v1/wallets/${b.wallet.walletId}/statement`,
      { token: b.token },
    );
    expect(sb.body.lines).toEqual([
      expect.objectContaining({
        kind: 'p2p-in',
        direction: 'in',
        balanceAfter: cny('120.50'),
        counterparty: a.id,
      }),
    ]);
  });

  it('pages a statement with a cursor and answers the balance as of an earlier instant', async () => {
    const a = await user('pia');
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    for (const amount of ['10.00', '20.00', '30.00'])
      expect((await topUp(a.wallet.walletId, amount)).status).toBe(201);
    const p1 = await api.call<{ lines: Array<{ balanceAfter: { amount: string } }>; nextCursor: string }>(
      'GET',
      `/v1/wallets/${a.wallet.walletId}/statement?limit=2`,
      { token: a.token },
    );
    expect(p1.body.lines.map((l) => l.balanceAfter.amount)).toEqual(['10.00', '30.00']);
    expect(p1.body.nextCursor).toEqual(expect.any(String));
    const p2 = await api.call<{
      lines: Array<{ balanceAfter: { amount: string } }>;
      nextCursor: string | null;
    }>(
      'GET',
      `/v1/wallets/${a.wallet.walletId}/statement?limit=2&cursor=${encodeURIComponent(p1.body.nextCursor)}`,
      { token: a.token },
    );
    expect(p2.body.lines.map((l) => l.balanceAfter.amount)).toEqual(['60.00']);
    expect(p2.body.nextCursor).toBeNull();
    const bad = await api.call('GET', `/v1/wallets/${a.wallet.walletId}/statement?cursor=garbage`, {
      token: a.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'CURSOR_INVALID' });
    const then = await api.call(
      'GET',
      `/v1/wallets/${a.wallet.walletId}/balance?asOf=${encodeURIComponent(before)}`,
      { token: a.token },
    );
    expect(then.body).toMatchObject({ balance: cny('0.00') });
    const now = await api.call('GET', `/v1/wallets/${a.wallet.walletId}/balance`, { token: a.token });
    expect(now.body).toMatchObject({ balance: cny('60.00'), available: cny('60.00') });
  });

  it('withdraws: a hold until the bank confirms (posted), fails (released) or times out (released)', async () => {
    const a = await user('wes');
    await topUp(a.wallet.walletId, '300.00');
    const w1 = await api.call<{ withdrawalId: string }>(
      'POST',
      `/v1/wallets/${a.wallet.walletId}/withdrawals`,
      {
        token: a.token,
        idempotencyKey: 'auto',
        body: { amount: cny('100.00'), bankAccount: 'CN12 3456 7890' },
      },
    );
    expect(w1.status).toBe(201);
    expect(w1.body).toMatchObject({ status: 'pending', amount: cny('100.00') });
    let w = (await api.call<Wallet>('GET', `/v1/wallets/${a.wallet.walletId}`, { token: a.token })).body;
    expect([w.balance.amount, w.available.amount]).toEqual(['300.00', '200.00']);
    // Only an operator (standing in for the bank integration) settles.
    const byOwner = await api.call('POST', `/v1/withdrawals/${w1.body.withdrawalId}/settlement`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { outcome: 'confirmed' },
    });
    expect(byOwner.status).toBe(403);
    const ok = await api.call('POST', `/v1/withdrawals/${w1.body.withdrawalId}/settlement`, {
      token: operator,
      idempotencyKey: 'auto',
      body: { outcome: 'confirmed', bankReference: 'BANK-REF-1' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'completed', bankReference: 'BANK-REF-1' });
    w = (await api.call<Wallet>('GET', `/v1/wallets/${a.wallet.walletId}`, { token: a.token })).body;
    expect([w.balance.amount, w.available.amount]).toEqual(['200.00', '200.00']);

    const w2 = await api.call<{ withdrawalId: string }>(
      'POST',
      `/v1/wallets/${a.wallet.walletId}/withdrawals`,
      {
        token: a.token,
        idempotencyKey: 'auto',
        body: { amount: cny('50.00'), bankAccount: 'CN12 3456 7890' },
      },
    );
    const failed = await api.call('POST', `/v1/withdrawals/${w2.body.withdrawalId}/settlement`, {
      token: operator,
      idempotencyKey: 'auto',
      body: { outcome: 'failed', reason: 'account closed' },
    });
    expect(failed.body).toMatchObject({ status: 'failed', failureReason: 'account closed' });
    const again = await api.call('POST', `/v1/withdrawals/${w2.body.withdrawalId}/settlement`, {
      token: operator,
      idempotencyKey: 'auto',
      body: { outcome: 'confirmed' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'WITHDRAWAL_NOT_PENDING' });

    const w3 = await api.call<{ withdrawalId: string }>(
      'POST',
      `/v1/wallets/${a.wallet.walletId}/withdrawals`,
      {
        token: a.token,
        idempotencyKey: 'auto',
        body: { amount: cny('25.00'), bankAccount: 'CN12 3456 7890' },
      },
    );
    expect(w3.status).toBe(201);
    await eventually(
      'withdrawal timed out and released',
      async () => {
        const s = await api.call<{ lines: Array<{ kind: string }> }>(
          'GET',
          `/v1/wallets/${a.wallet.walletId}/statement`,
          { token: a.token },
        );
        return s.body.lines.filter((l) => l.kind === 'withdrawal-void-release').length === 2;
      },
      15_000,
    );
    w = (await api.call<Wallet>('GET', `/v1/wallets/${a.wallet.walletId}`, { token: a.token })).body;
    expect([w.balance.amount, w.available.amount]).toEqual(['200.00', '200.00']);
  });

  it('holds: create, capture in part into another wallet, void, expire; a capture cannot exceed the hold', async () => {
    const a = await user('hal');
    const m = await user('mia', ['merchant']);
    await topUp(a.wallet.walletId, '200.00');
    const h1 = await api.call<{ holdId: string }>('POST', `/v1/wallets/${a.wallet.walletId}/holds`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { amount: cny('80.00'), toWalletId: m.wallet.walletId, reference: 'order-1' },
    });
    expect(h1.status).toBe(201);
    expect(h1.body).toMatchObject({ status: 'open', amount: cny('80.00'), captured: cny('0.00') });
    expect(
      (await api.call<Wallet>('GET', `/v1/wallets/${a.wallet.walletId}`, { token: a.token })).body.available,
    ).toEqual(cny('120.00'));
    const over = await api.call('POST', `/v1/holds/${h1.body.holdId}/capture`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { amount: cny('80.01') },
    });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'AMOUNT_EXCEEDS_HOLD' });
    const cap = await api.call('POST', `/v1/holds/${h1.body.holdId}/capture`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { amount: cny('50.00') },
    });
    expect(cap.status).toBe(200);
    expect(cap.body).toMatchObject({ status: 'captured', captured: cny('50.00') });
    expect(await balance(a.token, a.wallet.walletId)).toBe('150.00');
    expect(
      (await api.call<Wallet>('GET', `/v1/wallets/${a.wallet.walletId}`, { token: a.token })).body.available,
    ).toEqual(cny('150.00'));
    expect(await balance(m.token, m.wallet.walletId)).toBe('50.00');

    const h2 = await api.call<{ holdId: string }>('POST', `/v1/wallets/${a.wallet.walletId}/holds`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { amount: cny('30.00') },
    });
    const v = await api.call('POST', `/v1/holds/${h2.body.holdId}/void`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: {},
    });
    expect(v.body).toMatchObject({ status: 'voided' });
    const capVoided = await api.call('POST', `/v1/holds/${h2.body.holdId}/capture`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: {},
    });
    expect(capVoided.status).toBe(409);
    expect(capVoided.body).toMatchObject({ code: 'HOLD_NOT_OPEN' });

    const h3 = await api.call<{ holdId: string }>('POST', `/v1/wallets/${a.wallet.walletId}/holds`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { amount: cny('40.00'), timeoutSeconds: 1 },
    });
    await eventually(
      'hold expired',
      async () =>
        (await api.call<{ status: string }>('GET', `/v1/holds/${h3.body.holdId}`, { token: a.token })).body
          .status === 'expired',
      10_000,
    );
    const w = (await api.call<Wallet>('GET', `/v1/wallets/${a.wallet.walletId}`, { token: a.token })).body;
    expect([w.balance.amount, w.available.amount]).toEqual(['150.00', '150.00']);
  });

  it('validates requests with { code, message, details } and no stack traces', async () => {
    const a = await user('val');
    const cases: Array<[string, string, unknown, number, string]> = [
      [
        'POST',
        `/v1/wallets/${a.wallet.walletId}/transfers`,
        { toUserId: 'x', amount: { amount: 12.5, currency: 'CNY' } },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        `/v1/wallets/${a.wallet.walletId}/transfers`,
        { toUserId: 'x', amount: cny('1.00'), extra: true },
        400,
        'VALIDATION_FAILED',
      ],
      ['POST', `/v1/wallets/${a.wallet.walletId}/transfers`, '{"toUserId":', 400, 'MALFORMED_JSON'],
      [
        'POST',
        `/v1/wallets/${a.wallet.walletId}/top-ups`,
        { amount: cny('1.005'), participant: 'bank.x', depositReference: 'd-1' },
        422,
        'AMOUNT_INVALID',
      ],
      [
        'POST',
        `/v1/wallets/bad%20id/transfers`,
        { toUserId: 'x', amount: cny('1.00') },
        400,
        'VALIDATION_FAILED',
      ],
      ['GET', `/v1/wallets/${a.wallet.walletId}/balance?asOf=yesterday`, undefined, 400, 'VALIDATION_FAILED'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await api.call(method, path, { token: a.token, body, idempotencyKey: 'auto' });
      expect({ path, status: r.status, code: (r.body as { code: string }).code }).toEqual({
        path,
        status,
        code,
      });
      expect(r.body).toMatchObject({ message: expect.any(String) });
      expect(JSON.stringify(r.body)).not.toMatch(/node_modules|\.ts:\d+|at Object\./);
    }
    const validation = await api.call('POST', `/v1/wallets/${a.wallet.walletId}/transfers`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { toUserId: 'x', amount: { amount: 12.5, currency: 'CNY' } },
    });
    expect(validation.body).toMatchObject({ details: [expect.objectContaining({ path: 'amount.amount' })] });
    const missingKey = await api.call('POST', `/v1/wallets/${a.wallet.walletId}/transfers`, {
      token: a.token,
      body: { toUserId: 'x', amount: cny('1.00') },
    });
    expect(missingKey.status).toBe(400);
    expect(missingKey.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
  });

  it('serves the OpenAPI document at /docs and /docs-json', async () => {
    const json = await api.call<{ openapi: string; paths: Record<string, unknown> }>('GET', '/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/wallets',
        '/v1/wallets/{walletId}/transfers',
        '/v1/holds/{holdId}/capture',
      ]),
    );
    expect(JSON.stringify(json.body.paths['/v1/wallets/{walletId}/transfers'])).toMatch(/Idempotency-Key/);
    const ui = await api.call('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toMatch(/swagger/i);
  });
});

describe('limits', () => {
  it('enforces per-transaction, balance cap and daily outflow for tier 0, and a higher tier raises them', async () => {
    const a = await user('lim');
    const b = await user('lib');
    const cap = await topUp(a.wallet.walletId, '1000.01');
    expect(cap.status).toBe(422);
    expect(cap.body).toMatchObject({
      code: 'LIMIT_BALANCE_CAP',
      details: { limit: cny('1000.00'), tier: 0 },
    });
    expect((await topUp(a.wallet.walletId, '1000.00')).status).toBe(201);
    const send = (amount: string) =>
      api.call('POST', `/v1/wallets/${a.wallet.walletId}/transfers`, {
        token: a.token,
        idempotencyKey: 'auto',
        body: { toUserId: b.id, amount: cny(amount) },
      });
    const big = await send('200.01');
    expect(big.status).toBe(422);
    expect(big.body).toMatchObject({ code: 'LIMIT_PER_TRANSACTION' });
    expect((await send('200.00')).status).toBe(201);
    expect((await send('200.00')).status).toBe(201);
    const daily = await send('100.01');
    expect(daily.body).toMatchObject({
      code: 'LIMIT_DAILY_OUTFLOW',
      details: { limit: cny('500.00'), wouldBe: cny('500.01') },
    });
    expect((await send('100.00')).status).toBe(201);
    // The recipient's balance cap counts too: b holds 500, a top-up of 500.01 would pass 1,000.
    expect((await topUp(b.wallet.walletId, '500.01')).body).toMatchObject({
      code: 'LIMIT_BALANCE_CAP',
    });

    const raise = await api.call('PUT', `/v1/wallets/${a.wallet.walletId}/tier`, {
      token: operator,
      body: { tier: 1, reason: 'ID verified' },
    });
    expect(raise.status).toBe(200);
    expect(raise.body).toMatchObject({ tier: 1 });
    expect((await send('300.00')).status).toBe(201);
    const unknownTier = await api.call('PUT', `/v1/wallets/${a.wallet.walletId}/tier`, {
      token: operator,
      body: { tier: 9, reason: 'typo' },
    });
    expect(unknownTier.body).toMatchObject({ code: 'TIER_UNKNOWN' });
    expect(await balance(a.token, a.wallet.walletId)).toBe('200.00');
  });

  it('100 concurrent transfers of 10 from a wallet holding 500: exactly 50 succeed and the balance ends at 0', async () => {
    const a = await user('con');
    const b = await user('cob');
    expect((await topUp(a.wallet.walletId, '500.00')).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        api.call('POST', `/v1/wallets/${a.wallet.walletId}/transfers`, {
          token: a.token,
          idempotencyKey: 'auto',
          body: { toUserId: b.id, amount: cny('10.00') },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 422)).toHaveLength(50);
    for (const r of results.filter((x) => x.status === 422)) {
      expect(['INSUFFICIENT_FUNDS', 'LIMIT_DAILY_OUTFLOW']).toContain((r.body as { code: string }).code);
    }
    expect(await balance(a.token, a.wallet.walletId)).toBe('0.00');
    expect(await balance(b.token, b.wallet.walletId)).toBe('500.00');
  });
});

describe('idempotency keys', () => {
  it('replays the first response, refuses another body (422) and answers 409 while the first is in flight', async () => {
    const a = await user('ida');
    const b = await user('idb');
    await topUp(a.wallet.walletId, '100.00');
    const path = `/v1/wallets/${a.wallet.walletId}/transfers`;
    const body = { toUserId: b.id, amount: cny('7.00'), note: 'once' };
    const key = `key-${run}-1`;
    const first = await api.call('POST', path, { token: a.token, idempotencyKey: key, body });
    expect(first.status).toBe(201);
    const replay = await api.call('POST', path, {
      token: a.token,
      idempotencyKey: key,
      body: { note: 'once', amount: cny('7.00'), toUserId: b.id },
    });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = await api.call('POST', path, {
      token: a.token,
      idempotencyKey: key,
      body: { ...body, amount: cny('8.00') },
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // Keys are per user: b may use the same key string for its own request.
    await topUp(b.wallet.walletId, '10.00');
    const bSame = await api.call('POST', `/v1/wallets/${b.wallet.walletId}/transfers`, {
      token: b.token,
      idempotencyKey: key,
      body: { toUserId: a.id, amount: cny('1.00') },
    });
    expect(bSame.status).toBe(201);
    // A refusal is a final answer too and is replayed.
    const refusedKey = `key-${run}-2`;
    const refused = await api.call('POST', path, {
      token: a.token,
      idempotencyKey: refusedKey,
      body: { toUserId: b.id, amount: cny('999.00') },
    });
    expect(refused.status).toBe(422);
    const refusedAgain = await api.call('POST', path, {
      token: a.token,
      idempotencyKey: refusedKey,
      body: { toUserId: b.id, amount: cny('999.00') },
    });
    expect([refusedAgain.status, refusedAgain.body]).toEqual([422, refused.body]);

    // Hold the sender's wallet row so the first request stays in flight inside the wallet service.
    const db = new Client({ connectionString: stack.walletDb.url });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query('SELECT 1 FROM wallets WHERE id = $1 FOR UPDATE', [a.wallet.walletId]);
      const slowKey = `key-${run}-3`;
      const slow = api.call('POST', path, { token: a.token, idempotencyKey: slowKey, body });
      await new Promise((r) => setTimeout(r, 500));
      const concurrent = await api.call('POST', path, { token: a.token, idempotencyKey: slowKey, body });
      expect(concurrent.status).toBe(409);
      expect(concurrent.body).toMatchObject({ code: 'IDEMPOTENCY_IN_FLIGHT' });
      await db.query('COMMIT');
      expect((await slow).status).toBe(201);
    } finally {
      await db.end();
    }
    expect(await balance(a.token, a.wallet.walletId)).toBe('87.00');
  });
});

describe('per-object access', () => {
  it("refuses every route on another user's resources (403 or 404, never data) and leaves them untouched", async () => {
    const victim = await user('vic');
    const thief = await user('thf');
    await topUp(victim.wallet.walletId, '100.00');
    const hold = await api.call<{ holdId: string }>('POST', `/v1/wallets/${victim.wallet.walletId}/holds`, {
      token: victim.token,
      idempotencyKey: 'auto',
      body: { amount: cny('10.00') },
    });
    const wd = await api.call<{ withdrawalId: string }>(
      'POST',
      `/v1/wallets/${victim.wallet.walletId}/withdrawals`,
      {
        token: victim.token,
        idempotencyKey: 'auto',
        body: { amount: cny('5.00'), bankAccount: 'CN00 1111' },
      },
    );
    const v = victim.wallet.walletId;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/v1/wallets/${v}`],
      ['GET', `/v1/wallets?userId=${victim.id}`],
      ['GET', `/v1/wallets/${v}/statement`],
      ['GET', `/v1/wallets/${v}/balance`],
      [
        'POST',
        `/v1/wallets/${v}/top-ups`,
        { amount: cny('1.00'), participant: 'bank.x', depositReference: `steal-${run}` },
      ],
      ['POST', `/v1/wallets/${v}/transfers`, { toUserId: thief.id, amount: cny('50.00') }],
      ['POST', `/v1/wallets/${v}/withdrawals`, { amount: cny('50.00'), bankAccount: 'CN99 9999' }],
      ['POST', `/v1/wallets/${v}/holds`, { amount: cny('50.00'), toWalletId: thief.wallet.walletId }],
      ['GET', `/v1/holds/${hold.body.holdId}`],
      ['POST', `/v1/holds/${hold.body.holdId}/capture`, {}],
      ['POST', `/v1/holds/${hold.body.holdId}/void`, {}],
      ['POST', `/v1/withdrawals/${wd.body.withdrawalId}/settlement`, { outcome: 'failed' }],
      ['POST', `/v1/wallets/${v}/freeze`, { reason: 'because' }],
      ['POST', `/v1/wallets/${v}/unfreeze`, { reason: 'because' }],
      ['PUT', `/v1/wallets/${v}/tier`, { tier: 2, reason: 'because' }],
      ['GET', `/v1/audit-log?walletId=${v}`],
    ];
    for (const [method, path, body] of routes) {
      const r = await api.call(method, path, { token: thief.token, body, idempotencyKey: 'auto' });
      expect({ method, path, status: [403, 404].includes(r.status) }).toEqual({ method, path, status: true });
      expect(JSON.stringify(r.body)).not.toMatch(/"balance"|"lines"|"amount"/);
    }
    const after = (await api.call<Wallet>('GET', `/v1/wallets/${v}`, { token: victim.token })).body;
    expect(after).toMatchObject({
      status: 'active',
      tier: 0,
      balance: cny('100.00'),
      available: cny('85.00'),
    });
    expect(
      (await api.call<{ status: string }>('GET', `/v1/holds/${hold.body.holdId}`, { token: victim.token }))
        .body.status,
    ).toBe('open');
    // An operator sees everything, but moves none of a customer's money.
    expect((await api.call('GET', `/v1/wallets/${v}`, { token: operator })).status).toBe(200);
    expect((await api.call('GET', `/v1/wallets/${v}/statement`, { token: operator })).status).toBe(200);
    for (const [path, body] of [
      [`/v1/wallets/${v}/transfers`, { toUserId: thief.id, amount: cny('50.00') }],
      [`/v1/wallets/${v}/withdrawals`, { amount: cny('50.00'), bankAccount: 'CN99 9999' }],
      [`/v1/wallets/${v}/holds`, { amount: cny('50.00'), toWalletId: thief.wallet.walletId }],
    ] as const) {
      const r = await api.call('POST', path, { token: operator, idempotencyKey: 'auto', body });
      expect([path, r.status, (r.body as { code: string }).code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    expect(await balance(victim.token, v)).toBe('100.00');
  });
});

describe('operator actions', () => {
  it('freeze: a frozen wallet receives but cannot send; unfreeze restores; every action is in the audit log', async () => {
    const a = await user('fra');
    const b = await user('frb');
    await topUp(a.wallet.walletId, '100.00');
    await topUp(b.wallet.walletId, '100.00');
    const frozen = await api.call('POST', `/v1/wallets/${b.wallet.walletId}/freeze`, {
      token: operator,
      body: { reason: 'suspected fraud' },
    });
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({ status: 'frozen' });
    const send = await api.call('POST', `/v1/wallets/${b.wallet.walletId}/transfers`, {
      token: b.token,
      idempotencyKey: 'auto',
      body: { toUserId: a.id, amount: cny('1.00') },
    });
    expect(send.status).toBe(409);
    expect(send.body).toMatchObject({ code: 'WALLET_FROZEN' });
    const wd = await api.call('POST', `/v1/wallets/${b.wallet.walletId}/withdrawals`, {
      token: b.token,
      idempotencyKey: 'auto',
      body: { amount: cny('1.00'), bankAccount: 'CN00 1111' },
    });
    expect(wd.body).toMatchObject({ code: 'WALLET_FROZEN' });
    const receive = await api.call('POST', `/v1/wallets/${a.wallet.walletId}/transfers`, {
      token: a.token,
      idempotencyKey: 'auto',
      body: { toUserId: b.id, amount: cny('5.00') },
    });
    expect(receive.status).toBe(201);
    const notOperator = await api.call('POST', `/v1/wallets/${b.wallet.walletId}/unfreeze`, {
      token: b.token,
      body: { reason: 'let me out' },
    });
    expect(notOperator.status).toBe(403);
    expect(notOperator.body).toMatchObject({ code: 'FORBIDDEN' });
    const unfrozen = await api.call('POST', `/v1/wallets/${b.wallet.walletId}/unfreeze`, {
      token: operator,
      body: { reason: 'cleared by review' },
    });
    expect(unfrozen.body).toMatchObject({ status: 'active' });
    expect(
      (
        await api.call('POST', `/v1/wallets/${b.wallet.walletId}/transfers`, {
          token: b.token,
          idempotencyKey: 'auto',
          body: { toUserId: a.id, amount: cny('1.00') },
        })
      ).status,
    ).toBe(201);

    const log = await api.call<Array<Record<string, unknown>>>(
      'GET',
      `/v1/audit-log?walletId=${b.wallet.walletId}`,
      { token: operator },
    );
    expect(log.status).toBe(200);
    expect(log.body.map((e) => [e['action'], e['result'], e['reason']])).toEqual([
      ['wallet.unfreeze', 'ok', 'cleared by review'],
      ['wallet.unfreeze', 'refused: FORBIDDEN', 'let me out'],
      ['wallet.freeze', 'ok', 'suspected fraud'],
    ]);
    expect(log.body[0]).toMatchObject({
      actorId: uid('olga'),
      actorIp: expect.stringMatching(/127\.0\.0\.1/),
      at: expect.any(String),
    });
    // Append-only: the database itself refuses to change history.
    const db = new Client({ connectionString: stack.walletDb.url });
    await db.connect();
    try {
      await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After once a user exceeds the burst', async () => {
    const token = await api.devToken(uid('spam'));
    const results = await Promise.all(
      Array.from({ length: 600 }, () => api.call('POST', '/v1/wallets/w_x/transfers', { token, body: {} })),
    );
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another user is not affected.
    expect((await api.call('GET', '/v1/wallets', { token: operator })).status).toBe(200);
  });
});
