import { Pool } from 'pg';
import { PgLedger, TestClock, Transfer, checkInvariants } from '@paylend/ledger';
import { TestDatabase, freshDatabase } from '@paylend/testing';
import { TransferColumnsBuilder } from '../netting/transfer-columns';
import { defaultSettlementAccounts } from '../posting/settlement-accounts';
import { SettlementPosting, toLedgerBatch } from '../posting/settlement-posting';
import { ledgerEntriesFrom } from '../reconciliation/ledger-entries';
import { reconcile } from '../reconciliation/reconcile';
import {
  MERCHANTS,
  MODEL,
  TRANSFERS,
  WINDOW_ID,
  fixture,
  window42,
} from '../reconciliation/fixtures/window-42';
import { parseCamt053 } from '../statement/camt053';
import { isoExponent } from '../currency/iso-exponent';
import { openWindow, transition } from '../window/settlement-window';
import { WindowSettlementPorts, settleWindow } from './settle-window';

let db: TestDatabase;
let pool: Pool;
let ledger: PgLedger;
const clock = new TestClock('2026-11-28T16:00:00.000Z');

/** Ports on the real ledger; transfers come from the fixture (the window store is the wallet service's). */
function ports(): WindowSettlementPorts & { batches: number } {
  return {
    batches: 0,
    async loadTransfers() {
      const b = new TransferColumnsBuilder();
      for (const t of TRANSFERS) b.add(t.payer, t.payee, t.amountMinor, t.currency, t.kind, t.feeMinor ?? 0n);
      return b.build();
    },
    async recordedPostingIds(ids) {
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM ledger.transfers WHERE id = ANY($1::text[])',
        [ids],
      );
      return new Set(rows.map((r) => r.id));
    },
    async postBatch(postings: readonly SettlementPosting[]) {
      this.batches += 1;
      const results = await ledger.post(toLedgerBatch(postings));
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) throw new Error(`${failed.code}: ${failed.message}`);
    },
    // Reports are the service's table; this test is about the ledger side.
    saveReport: () => Promise.resolve(),
  };
}

async function settlementTransfers(): Promise<Transfer[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM ledger.transfers WHERE code LIKE 'settlement.%' ORDER BY id`,
  );
  const out: Transfer[] = [];
  for (const r of rows) out.push((await ledger.getTransfer(r.id))!);
  return out;
}

beforeAll(async () => {
  db = await freshDatabase('settlement', ['libs/ledger/prisma/migrations']);
  pool = new Pool({ connectionString: db.url, max: 2 });
  ledger = new PgLedger(pool, { clock });
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('settling a window on the PostgreSQL ledger', () => {
  it('is all-or-nothing: a batch with one unknown account posts nothing', async () => {
    const { postings } = window42();
    await ledger.createAccounts([
      { id: defaultSettlementAccounts.clearing('CNY'), currency: 'CNY', normalSide: 'credit' },
    ]);
    const results = await ledger.post(toLedgerBatch(postings));
    expect(results.some((r) => !r.ok)).toBe(true);
    expect(await settlementTransfers()).toEqual([]);
  });

  it('posts the batch once; settling again posts nothing and leaves balances alone', async () => {
    const accountIds = Object.keys(MERCHANTS).map((m) => defaultSettlementAccounts.participant(m, 'CNY'));
    await ledger.createAccounts(accountIds.map((id) => ({ id, currency: 'CNY', normalSide: 'credit' })));
    const w = transition(
      transition(openWindow('qr-cny', 42, clock, WINDOW_ID), 'close', clock),
      'startSettlement',
      clock,
    );
    const p = ports();
    const first = await settleWindow(w, MODEL, MERCHANTS, p, { executionDate: '2026-11-28' });
    expect(first.posted).toHaveLength(5);
    const balances = await ledger.balances([defaultSettlementAccounts.clearing('CNY'), ...accountIds]);
    const second = await settleWindow(w, MODEL, MERCHANTS, p, { executionDate: '2026-11-28' });
    expect(second.posted).toEqual([]);
    expect(p.batches).toBe(1);
    // Even a blind re-post of the whole batch is a replay in the ledger.
    const replay = await ledger.post(toLedgerBatch(second.postings));
    expect(replay).toEqual(second.postings.map(() => expect.objectContaining({ ok: true, replayed: true })));
    expect(await ledger.balances([defaultSettlementAccounts.clearing('CNY'), ...accountIds])).toEqual(
      balances,
    );
    expect(balances[0]).toMatchObject({ creditsPosted: '2505.38', debitsPosted: '300.60' });
    expect(await checkInvariants(pool)).toEqual([]);
  });

  it('reconciles the bank statement against the entries read back from the journal', async () => {
    const entries = ledgerEntriesFrom(await settlementTransfers());
    expect(entries).toHaveLength(5);
    const { instructions } = window42();
    const r = reconcile(
      parseCamt053(fixture('camt053-v08-settled.xml'), isoExponent).entries,
      instructions,
      entries,
    );
    expect(r.breaks).toEqual([]);
    expect(r.matched).toHaveLength(5);
    expect(r.balanced).toBe(true);
  });
});
