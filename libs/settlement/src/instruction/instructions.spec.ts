import fc from 'fast-check';
import { transfersArb } from '../netting/arbitraries';
import { net } from '../netting/net';
import { NettingModel } from '../netting/position';
import { MERCHANTS, MODEL, WINDOW_ID, window42 } from '../reconciliation/fixtures/window-42';
import { instructionsFor } from './instructions';
import { instructionReference } from './reference';

const merchantsFor = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { bankAccount: `ACCT-${i}` }]));

describe('instructionsFor', () => {
  it('pays out positive nets and collects negative ones, only for merchants, with decimal amounts', () => {
    const { instructions } = window42();
    expect(instructions.map((i) => [i.participant, i.direction, i.amount])).toEqual([
      ['merchant:M1', 'payout', '1243.00'],
      ['merchant:M2', 'payout', '298.20'],
      ['merchant:M3', 'payout', '815.08'],
      ['merchant:M4', 'payout', '149.10'],
      ['merchant:M5', 'collection', '300.60'],
    ]);
    expect(instructions[0]).toMatchObject({
      windowId: WINDOW_ID,
      bankAccount: MERCHANTS['merchant:M1']!.bankAccount,
      executionDate: '2026-11-28',
      reference: 'PLP-AHHS7PBMJMDUZNLFP42Y',
    });
    for (const i of instructions) expect(i.reference.length).toBeLessThanOrEqual(35);
  });

  it('gross model pays out everything received and collects everything sent, separately', () => {
    const gross: NettingModel = { ...MODEL, kind: 'gross' };
    const { result } = window42();
    const instructions = instructionsFor({ ...result, model: gross }, MERCHANTS);
    const m5 = instructions
      .filter((i) => i.participant === 'merchant:M5')
      .map((i) => [i.direction, i.amount]);
    expect(m5).toEqual([
      ['payout', '100.00'],
      ['collection', '400.60'],
    ]);
  });

  it('for either model, payouts minus collections per merchant equal the net position', () => {
    fc.assert(
      fc.property(
        transfersArb(),
        fc.constantFrom<NettingModel['kind']>('gross', 'multilateral-net'),
        (transfers, kind) => {
          const result = net(transfers, { kind, feeParticipant: 'fees' }, 'w');
          const instructions = instructionsFor(result, merchantsFor(8));
          for (const p of result.positions.filter((x) => x.participant !== 'fees')) {
            const mine = instructions.filter(
              (i) => i.participant === p.participant && i.currency === p.currency,
            );
            const paid = mine.reduce(
              (s, i) => s + (i.direction === 'payout' ? i.amountMinor : -i.amountMinor),
              0n,
            );
            expect(paid).toBe(p.net);
            for (const i of mine) expect(i.amountMinor > 0n).toBe(true);
          }
        },
      ),
    );
  });

  it('references are deterministic and differ by window, participant, currency and direction', () => {
    const base = instructionReference('w1', 'm', 'CNY', 'payout');
    expect(instructionReference('w1', 'm', 'CNY', 'payout')).toBe(base);
    const others = [
      instructionReference('w2', 'm', 'CNY', 'payout'),
      instructionReference('w1', 'n', 'CNY', 'payout'),
      instructionReference('w1', 'm', 'JPY', 'payout'),
      instructionReference('w1', 'm', 'CNY', 'collection'),
    ];
    expect(new Set([base, ...others]).size).toBe(5);
  });
});
