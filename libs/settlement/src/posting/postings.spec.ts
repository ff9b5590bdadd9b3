import fc from 'fast-check';
import { InMemoryLedger, TestClock } from '@paylend/ledger';
import { instructionsFor } from '../instruction/instructions';
import { transfersArb } from '../netting/arbitraries';
import { net } from '../netting/net';
import { window42 } from '../reconciliation/fixtures/window-42';
import { postingsFor, unrecorded } from './postings';
import { defaultSettlementAccounts } from './settlement-accounts';
import { toLedgerBatch } from './settlement-posting';

const merchants = Object.fromEntries(
  Array.from({ length: 8 }, (_, i) => [`p${i}`, { bankAccount: `ACCT-${i}` }]),
);

describe('postingsFor', () => {
  it('moves payouts into clearing and collections out of it', () => {
    const { postings } = window42();
    expect(postings[0]).toMatchObject({
      debitAccountId: 'settlement:participant:merchant:M1:CNY',
      creditAccountId: 'settlement:clearing:CNY',
      amount: '1243.00',
      code: 'settlement.payout',
      reference: 'PLP-AHHS7PBMJMDUZNLFP42Y',
    });
    expect(postings[4]).toMatchObject({
      debitAccountId: 'settlement:clearing:CNY',
      creditAccountId: 'settlement:participant:merchant:M5:CNY',
      amount: '300.60',
    });
  });

  it('settling twice is a no-op: same ids and payloads, and nothing left to post once recorded', () => {
    fc.assert(
      fc.property(transfersArb(), (transfers) => {
        const derive = () =>
          postingsFor(
            instructionsFor(
              net(transfers, { kind: 'multilateral-net', feeParticipant: 'fees' }, 'w-7'),
              merchants,
            ),
          );
        const first = derive();
        const second = derive();
        expect(second).toEqual(first);
        expect(new Set(first.map((p) => p.id)).size).toBe(first.length);
        expect(unrecorded(second, new Set(first.map((p) => p.id)))).toEqual([]);
        for (const p of first) expect(p.debitAccountId).not.toBe(p.creditAccountId);
      }),
    );
  });

  it('posts as one linked batch to the ledger, and a second settlement replays without moving money', async () => {
    const ledger = new InMemoryLedger(new TestClock('2026-11-28T00:00:00Z'));
    const { postings } = window42();
    const ids = new Set(postings.flatMap((p) => [p.debitAccountId, p.creditAccountId]));
    const created = await ledger.createAccounts(
      [...ids].map((id) => ({
        id,
        currency: 'CNY',
        normalSide: id.includes('clearing') ? 'debit' : 'credit',
      })),
    );
    expect(created.every((c) => c.ok)).toBe(true);
    const batch = toLedgerBatch(postings);
    expect(batch.map((t) => t.linked)).toEqual([true, true, true, true, false]);
    const first = await ledger.post(batch);
    expect(first).toEqual(batch.map(() => expect.objectContaining({ ok: true, replayed: false })));
    const before = await ledger.balances([defaultSettlementAccounts.clearing('CNY')]);
    const second = await ledger.post(toLedgerBatch(window42().postings));
    expect(second).toEqual(batch.map(() => expect.objectContaining({ ok: true, replayed: true })));
    expect(await ledger.balances([defaultSettlementAccounts.clearing('CNY')])).toEqual(before);
  });
});
