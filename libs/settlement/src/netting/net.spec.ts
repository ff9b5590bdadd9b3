import fc from 'fast-check';
import { TransferColumnsBuilder } from './transfer-columns';
import { ClearedTransfer } from '../transfer/cleared-transfer';
import { transfersArb } from './arbitraries';
import { combine } from './combine';
import { net } from './net';
import { netColumns } from './net-columns';
import { NettingModel, NettingResult } from './position';

const MODEL: NettingModel = { kind: 'multilateral-net', feeParticipant: 'fees' };

function columnsOf(transfers: readonly ClearedTransfer[]) {
  const b = new TransferColumnsBuilder(4);
  for (const t of transfers) b.add(t.payer, t.payee, t.amountMinor, t.currency, t.kind, t.feeMinor ?? 0n);
  return b.build();
}

describe('net', () => {
  it('positions sum to zero in every currency', () => {
    fc.assert(
      fc.property(transfersArb(), (transfers) => {
        const r = net(transfers, MODEL, 'w');
        const byCurrency = new Map<string, bigint>();
        for (const p of r.positions) byCurrency.set(p.currency, (byCurrency.get(p.currency) ?? 0n) + p.net);
        for (const sum of byCurrency.values()) expect(sum).toBe(0n);
        for (const t of r.totals) expect(t.net).toBe(0n);
      }),
    );
  });

  it('each net position equals the gross sums of the transfers the participant is in', () => {
    fc.assert(
      fc.property(transfersArb(), (transfers) => {
        const r = net(transfers, MODEL, 'w');
        for (const p of r.positions) {
          const mine = transfers.filter((t) => t.currency === p.currency);
          let inflow = 0n;
          let outflow = 0n;
          for (const t of mine) {
            const merchant = (t.kind ?? 'payment') === 'payment' ? t.payee : t.payer;
            if (t.payee === p.participant) inflow += t.amountMinor;
            if (t.payer === p.participant) outflow += t.amountMinor;
            if (merchant === p.participant) outflow += t.feeMinor ?? 0n;
            if (p.participant === MODEL.feeParticipant) inflow += t.feeMinor ?? 0n;
          }
          expect(p.received).toBe(inflow);
          expect(p.sent).toBe(outflow);
          expect(p.net).toBe(inflow - outflow);
        }
      }),
    );
  });

  it('the columnar fast path gives exactly the reference result', () => {
    fc.assert(
      fc.property(transfersArb(), (transfers) => {
        expect(netColumns(columnsOf(transfers), MODEL, 'w')).toEqual(net(transfers, MODEL, 'w'));
      }),
    );
  });

  it('stays exact when sums pass 2^53 (falls back to BigInt)', () => {
    fc.assert(
      fc.property(transfersArb({ maxAmount: 2n ** 52n, maxLength: 20 }), (transfers) => {
        expect(netColumns(columnsOf(transfers), MODEL, 'w')).toEqual(net(transfers, MODEL, 'w'));
      }),
    );
    const big: ClearedTransfer[] = [
      { id: 'a', payer: 'x', payee: 'y', amountMinor: 2n ** 53n - 1n, currency: 'CNY' },
      { id: 'b', payer: 'z', payee: 'y', amountMinor: 2n ** 53n - 1n, currency: 'CNY', feeMinor: 3n },
    ];
    const r = netColumns(columnsOf(big), MODEL, 'w');
    expect(r.positions.find((p) => p.participant === 'y')!.net).toBe(2n * (2n ** 53n - 1n) - 3n);
    expect(r).toEqual(net(big, MODEL, 'w'));
  });

  it('any split of a window into parts gives the same positions and totals', () => {
    fc.assert(
      fc.property(
        transfersArb(),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }),
        (transfers, parts) => {
          const buckets: ClearedTransfer[][] = [[], [], [], []];
          transfers.forEach((t, i) => buckets[parts[i]!]!.push(t));
          const whole = net(transfers, MODEL, 'w');
          const combined = combine(
            buckets.map((b) => net(b, MODEL, 'w')),
            'w',
          );
          expect(combined).toEqual(whole);
        },
      ),
    );
  });

  it('computes fees and refunds per participant', () => {
    const r: NettingResult = net(
      [
        { id: '1', payer: 'alice', payee: 'shop', amountMinor: 10_000n, currency: 'CNY', feeMinor: 60n },
        { id: '2', payer: 'shop', payee: 'alice', amountMinor: 2_500n, currency: 'CNY', kind: 'refund' },
      ],
      MODEL,
      'w1',
    );
    const shop = r.positions.find((p) => p.participant === 'shop')!;
    expect(shop).toMatchObject({
      paymentsIn: 10_000n,
      refundsOut: 2_500n,
      feesOut: 60n,
      net: 7_440n,
      transferCount: 2,
    });
    expect(r.positions.find((p) => p.participant === 'fees')).toMatchObject({
      feesIn: 60n,
      net: 60n,
      transferCount: 0,
    });
    expect(r.positions.find((p) => p.participant === 'alice')).toMatchObject({ net: -7_500n });
    expect(r.totals).toEqual([
      {
        currency: 'CNY',
        transferCount: 2,
        volume: 12_500n,
        fees: 60n,
        received: 12_560n,
        sent: 12_560n,
        net: 0n,
      },
    ]);
  });

  it('rejects duplicate ids, self-transfers and non-positive amounts', () => {
    const t: ClearedTransfer = { id: 'x', payer: 'a', payee: 'b', amountMinor: 1n, currency: 'CNY' };
    expect(() => net([t, t], MODEL, 'w')).toThrow(expect.objectContaining({ code: 'DUPLICATE_TRANSFER' }));
    expect(() => net([{ ...t, payee: 'a' }], MODEL, 'w')).toThrow(
      expect.objectContaining({ code: 'SAME_PAYER_PAYEE' }),
    );
    expect(() => net([{ ...t, amountMinor: 0n }], MODEL, 'w')).toThrow(
      expect.objectContaining({ code: 'AMOUNT_NEGATIVE' }),
    );
    expect(() => columnsOf([{ ...t, amountMinor: 2n ** 53n }])).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OVERFLOW' }),
    );
  });
});
