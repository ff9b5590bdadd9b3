import { MAX_HOLDS_PER_COMMAND, type HoldView } from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';
import { PAYMENTS_ACTOR, WalletPort } from './wallet-port';

type Sent = { holds: Array<{ holdId: string; toWalletId: string; capture?: unknown }> };

/** A wallet that captures every hold except those named, and never answers for the merchants named. */
function fakeWallet(opts: { refuse?: string[]; silentFor?: string[] } = {}) {
  const sent: Sent[] = [];
  const requests = {
    async request(_contract: unknown, value: Sent) {
      sent.push(value);
      if (opts.silentFor?.includes(value.holds[0]!.toWalletId))
        throw new RequestTimeoutError('wallet.create-holds.cmd.v1', 10);
      return {
        ok: true,
        value: value.holds.map((h) =>
          opts.refuse?.includes(h.holdId)
            ? { ok: false, error: { code: 'INSUFFICIENT_FUNDS', message: 'no' } }
            : { ok: true, value: { holdId: h.holdId, status: 'captured' } as unknown as HoldView },
        ),
      };
    },
  } as unknown as RequestClient;
  return { port: new WalletPort(requests, 10), sent };
}

const pay = (holdId: string, toWalletId: string) => ({
  actor: PAYMENTS_ACTOR,
  holdId,
  walletId: `payer-${holdId}`,
  amount: { amount: '1.00', currency: 'CNY' },
  toWalletId,
  reference: `order-${holdId}`,
  timeoutSeconds: 300,
  fee: { amount: '0.01', currency: 'CNY' },
  notAfter: '2026-11-28T12:00:00.000Z',
});

describe('WalletPort.holdAndCaptureMany', () => {
  it('sends one create-holds per receiving wallet, capped, and answers each input in its own place', async () => {
    const { port, sent } = fakeWallet({ refuse: ['b2'] });
    const inputs = [
      pay('a1', 'shop-a'),
      pay('b1', 'shop-b'),
      ...Array.from({ length: MAX_HOLDS_PER_COMMAND }, (_, i) => pay(`a${i + 2}`, 'shop-a')),
      pay('b2', 'shop-b'),
    ];
    const results = await port.holdAndCaptureMany(inputs);

    expect(sent.map((c) => [c.holds[0]!.toWalletId, c.holds.length])).toEqual([
      ['shop-a', MAX_HOLDS_PER_COMMAND],
      ['shop-a', 1],
      ['shop-b', 2],
    ]);
    expect(sent.every((c) => c.holds.every((h) => h.capture))).toBe(true);
    expect(results.map((r, i) => (r.ok ? r.value.holdId : r.error.code) === inputs[i]!.holdId)).toEqual(
      inputs.map((x) => x.holdId !== 'b2'),
    );
    expect(results[results.length - 1]).toEqual({
      ok: false,
      error: { code: 'INSUFFICIENT_FUNDS', message: 'no' },
      unavailable: false,
    });
  });

  it('a command that gets no answer leaves each of its holds unavailable, and only its own', async () => {
    const { port } = fakeWallet({ silentFor: ['shop-b'] });
    const results = await port.holdAndCaptureMany([
      pay('a1', 'shop-a'),
      pay('b1', 'shop-b'),
      pay('b2', 'shop-b'),
    ]);
    expect(results.map((r) => (r.ok ? 'captured' : `${r.error.code}:${r.unavailable}`))).toEqual([
      'captured',
      'REQUEST_TIMEOUT:true',
      'REQUEST_TIMEOUT:true',
    ]);
  });
});
