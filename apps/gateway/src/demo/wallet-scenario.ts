import { randomBytes } from 'node:crypto';
import { GatewayApi, type ApiResponse } from './http-client';

interface WalletBody {
  walletId: string;
  balance: { amount: string; currency: string };
}
interface StatementBody {
  lines: Array<{
    at: string;
    kind: string;
    direction: string;
    amount: { amount: string; currency: string };
    balanceAfter: { amount: string; currency: string };
    note: string | null;
    counterparty: string | null;
  }>;
}

function expectStatus(r: ApiResponse, status: number, what: string): void {
  if (r.status !== status)
    throw new Error(`${what}: expected HTTP ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
}

const money = (m: { amount: string; currency: string }) => `${m.amount} ${m.currency}`;

/**
 * The wallet demo against running services (gateway with GATEWAY_DEV_TOKENS=true, wallet, Kafka): two
 * consumers, a top-up, a transfer, an over-limit transfer that is refused, and both statements.
 */
export async function walletScenario(
  gatewayUrl: string,
  log: (line: string) => void = console.log,
): Promise<{ alice: string; bob: string }> {
  const api = new GatewayApi(gatewayUrl);
  const suffix = randomBytes(3).toString('hex');
  const alice = { id: `alice-${suffix}`, token: await api.devToken(`alice-${suffix}`) };
  const bob = { id: `bob-${suffix}`, token: await api.devToken(`bob-${suffix}`) };
  log(`consumers ${alice.id} and ${bob.id} signed in (development tokens, role consumer)`);

  const open = async (u: { id: string; token: string }) => {
    const r = await api.call<WalletBody>('POST', '/v1/wallets', {
      token: u.token,
      body: { currency: 'CNY' },
    });
    expectStatus(r, 201, `open a wallet for ${u.id}`);
    log(`${u.id} opened wallet ${r.body.walletId}, balance ${money(r.body.balance)}`);
    return r.body.walletId;
  };
  const aw = await open(alice);
  const bw = await open(bob);

  // The bank's side reports the deposit (an operator here); a wallet's owner cannot credit itself.
  const bank = await api.devToken(`bank-desk-${suffix}`, ['operator']);
  const top = await api.call('POST', `/v1/wallets/${aw}/top-ups`, {
    token: bank,
    idempotencyKey: 'auto',
    body: {
      amount: { amount: '800.00', currency: 'CNY' },
      participant: 'bank.icbc',
      depositReference: `demo-${suffix}`,
    },
  });
  expectStatus(top, 201, 'top up');
  log(`bank.icbc reported ${alice.id}'s deposit of 800.00 CNY (reference demo-${suffix}): credited`);

  const sent = await api.call('POST', `/v1/wallets/${aw}/transfers`, {
    token: alice.token,
    idempotencyKey: 'auto',
    body: { toUserId: bob.id, amount: { amount: '150.00', currency: 'CNY' }, note: 'hotpot dinner' },
  });
  expectStatus(sent, 201, 'transfer');
  log(`${alice.id} sent 150.00 CNY to ${bob.id} with note "hotpot dinner"`);

  const over = await api.call<{ code: string; message: string }>('POST', `/v1/wallets/${aw}/transfers`, {
    token: alice.token,
    idempotencyKey: 'auto',
    body: { toUserId: bob.id, amount: { amount: '300.00', currency: 'CNY' }, note: 'too much for tier 0' },
  });
  expectStatus(over, 422, 'over-limit transfer');
  log(
    `${alice.id} tried to send 300.00 CNY: refused with HTTP ${over.status} ${over.body.code}: ${over.body.message}`,
  );

  for (const [u, w] of [
    [alice, aw],
    [bob, bw],
  ] as const) {
    const s = await api.call<StatementBody>('GET', `/v1/wallets/${w}/statement`, { token: u.token });
    expectStatus(s, 200, `statement of ${u.id}`);
    log(`statement of ${u.id} (${w}):`);
    for (const l of s.body.lines) {
      const sign = l.direction === 'out' ? '-' : l.direction === 'in' ? '+' : ' ';
      const who = l.counterparty ? ` ${l.direction === 'out' ? 'to' : 'from'} ${l.counterparty}` : '';
      log(
        `  ${l.at}  ${l.kind.padEnd(9)} ${sign}${money(l.amount).padStart(12)}  balance ${money(l.balanceAfter).padStart(12)}${who}${l.note ? `  "${l.note}"` : ''}`,
      );
    }
  }
  return { alice: aw, bob: bw };
}
