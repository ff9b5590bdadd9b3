// window_settlement_s: settle a 1,000,000-transfer window stored in PostgreSQL — read, net, post to the
// PostgreSQL ledger, write the report — through the same `settleWindow` a service calls.
import { Pool } from 'pg';
import { PgLedger, TestClock } from '@paylend/ledger';
import {
  MerchantAccount,
  SettlementInstruction,
  SettlementPosting,
  SettlementReport,
  TransferColumns,
  TransferColumnsBuilder,
  WindowSettlementPorts,
  defaultSettlementAccounts,
  openWindow,
  parseMinorUnits,
  settleWindow,
  toLedgerBatch,
  transition,
} from '@paylend/settlement';
import { freshDatabase, type BenchMetric } from '@paylend/testing';
import { MODEL, generateWindow } from './settlement-netting';

const SCHEMA = `
CREATE SCHEMA bench_settlement;
CREATE TABLE bench_settlement.participants (id integer PRIMARY KEY, code text NOT NULL UNIQUE);
CREATE TABLE bench_settlement.cleared_transfers (
  id           bigint   PRIMARY KEY,
  window_id    text     NOT NULL,
  payer_id     integer  NOT NULL,
  payee_id     integer  NOT NULL,
  amount_minor bigint   NOT NULL CHECK (amount_minor > 0),
  fee_minor    bigint   NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
  kind         smallint NOT NULL,
  currency     char(3)  NOT NULL
);
CREATE INDEX cleared_transfers_window ON bench_settlement.cleared_transfers (window_id, id);
CREATE TABLE bench_settlement.report_rows (
  window_id text NOT NULL, participant text NOT NULL, currency char(3) NOT NULL, transfer_count integer NOT NULL,
  gross_in numeric NOT NULL, gross_out numeric NOT NULL, refunds numeric NOT NULL, fees numeric NOT NULL, net numeric NOT NULL,
  payout_reference text, collection_reference text,
  PRIMARY KEY (window_id, participant, currency)
);
CREATE TABLE bench_settlement.instructions (
  reference text PRIMARY KEY, window_id text NOT NULL, participant text NOT NULL, currency char(3) NOT NULL,
  direction text NOT NULL, amount numeric NOT NULL, bank_account text NOT NULL
);`;

/** Bulk-loads a generated window with unnest arrays, `chunk` rows per statement. */
export async function loadWindow(
  pool: Pool,
  windowId: string,
  c: TransferColumns,
  chunk = 50_000,
): Promise<void> {
  await pool.query(
    `INSERT INTO bench_settlement.participants (id, code) SELECT * FROM unnest($1::int[], $2::text[])`,
    [c.participants.map((_, i) => i), c.participants],
  );
  for (let start = 0; start < c.count; start += chunk) {
    const end = Math.min(c.count, start + chunk);
    const ids: number[] = [];
    for (let i = start; i < end; i++) ids.push(i + 1);
    await pool.query(
      `INSERT INTO bench_settlement.cleared_transfers (id, window_id, payer_id, payee_id, amount_minor, fee_minor, kind, currency)
       SELECT u.id, $1, u.payer, u.payee, u.amount, u.fee, u.kind, $8
       FROM unnest($2::bigint[], $3::int[], $4::int[], $5::bigint[], $6::bigint[], $7::smallint[]) AS u(id, payer, payee, amount, fee, kind)`,
      [
        windowId,
        ids,
        Array.from(c.payer.subarray(start, end)),
        Array.from(c.payee.subarray(start, end)),
        Array.from(c.amount.subarray(start, end)),
        Array.from(c.fee ? c.fee.subarray(start, end) : new Float64Array(end - start)),
        Array.from(c.kind ? c.kind.subarray(start, end) : new Uint8Array(end - start)),
        c.currencies[0],
      ],
    );
  }
  await pool.query('ANALYZE bench_settlement.cleared_transfers');
}

/** The PostgreSQL side of `settleWindow`: what a wallet-service adapter would do, with the real ledger. */
export function pgSettlementPorts(pool: Pool, ledger: PgLedger, pageSize = 100_000): WindowSettlementPorts {
  return {
    async loadTransfers(windowId) {
      const b = new TransferColumnsBuilder(1 << 20);
      const { rows: people } = await pool.query<[number, string]>({
        text: 'SELECT id, code FROM bench_settlement.participants',
        rowMode: 'array',
      });
      const indexOf = new Int32Array(people.reduce((m, [id]) => Math.max(m, id), 0) + 1);
      for (const [id, code] of people) indexOf[id] = b.participant(code);
      let after = 0;
      for (;;) {
        // Keyset pages in array row mode: no per-row objects, BIGINTs arrive as text and are range-checked.
        const { rows } = await pool.query<[string, number, number, string, string, number, string]>({
          text: `SELECT id, payer_id, payee_id, amount_minor, fee_minor, kind, currency FROM bench_settlement.cleared_transfers
                 WHERE window_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
          values: [windowId, after, pageSize],
          rowMode: 'array',
        });
        for (const [, payer, payee, amount, fee, kind, currency] of rows) {
          const a = Number(amount);
          const f = Number(fee);
          if (!Number.isSafeInteger(a) || !Number.isSafeInteger(f))
            throw new Error(`amount ${amount} or fee ${fee} is beyond 2^53 minor units`);
          b.addIndexed(indexOf[payer], indexOf[payee], a, b.currencyOf(currency), kind, f);
        }
        if (rows.length < pageSize) break;
        after = Number(rows[rows.length - 1][0]);
      }
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
      const results = await ledger.post(toLedgerBatch(postings));
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok)
        throw new Error(`ledger refused the settlement batch: ${failed.code} ${failed.message}`);
    },
    async saveReport(report: SettlementReport, instructions: readonly SettlementInstruction[]) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const rows = report.rows;
        await client.query(
          `INSERT INTO bench_settlement.report_rows SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::int[], $5::numeric[], $6::numeric[],
             $7::numeric[], $8::numeric[], $9::numeric[], $10::text[], $11::text[]) AS u
           ON CONFLICT (window_id, participant, currency) DO NOTHING`,
          [
            report.windowId,
            rows.map((r) => r.participant),
            rows.map((r) => r.currency),
            rows.map((r) => r.transferCount),
            rows.map((r) => r.grossIn),
            rows.map((r) => r.grossOut),
            rows.map((r) => r.refunds),
            rows.map((r) => r.fees),
            rows.map((r) => r.net),
            rows.map((r) => r.payoutReference || null),
            rows.map((r) => r.collectionReference || null),
          ],
        );
        await client.query(
          `INSERT INTO bench_settlement.instructions SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[])
           ON CONFLICT (reference) DO NOTHING`,
          [
            instructions.map((i) => i.reference),
            instructions.map((i) => i.windowId),
            instructions.map((i) => i.participant),
            instructions.map((i) => i.currency),
            instructions.map((i) => i.direction),
            instructions.map((i) => i.amount),
            instructions.map((i) => i.bankAccount),
          ],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

export async function measureWindowSettlement(
  count = 1_000_000,
  participants = 10_000,
): Promise<{ metrics: Record<string, BenchMetric>; notes: string }> {
  const db = await freshDatabase('settlement_bench', ['libs/ledger/prisma/migrations']);
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    const clock = new TestClock('2026-11-28T16:00:00.000Z');
    const ledger = new PgLedger(pool, { clock });
    await pool.query(SCHEMA);
    const windowId = 'bench-cny-000001';
    let t = performance.now();
    const columns = generateWindow(count, participants);
    await loadWindow(pool, windowId, columns);
    const loadS = (performance.now() - t) / 1000;

    const merchants = new Map<string, MerchantAccount>(
      columns.participants.map((p) => [p, { bankAccount: `BANK-${p}` }]),
    );
    const accountIds = [
      ...columns.participants.map((p) => defaultSettlementAccounts.participant(p, 'CNY')),
      defaultSettlementAccounts.clearing('CNY'),
    ];
    const created = await ledger.createAccounts(
      accountIds.map((id) => ({ id, currency: 'CNY', normalSide: 'credit' })),
    );
    if (!created.every((r) => r.ok)) throw new Error('could not create ledger accounts');

    let w = openWindow('bench-cny', 1, clock, windowId);
    w = transition(transition(w, 'close', clock), 'startSettlement', clock);
    const ports = pgSettlementPorts(pool, ledger);
    t = performance.now();
    const first = await settleWindow(w, MODEL, merchants, ports, { executionDate: '2026-11-28' });
    const settleS = (performance.now() - t) / 1000;
    t = performance.now();
    const again = await settleWindow(w, MODEL, merchants, ports, { executionDate: '2026-11-28' });
    const againS = (performance.now() - t) / 1000;
    if (again.posted.length !== 0) throw new Error(`settling twice posted ${again.posted.length} transfers`);

    // The ledger must hold exactly the batch: clearing = payouts - collections, one transfer per instruction.
    const [clearing] = await ledger.balances([defaultSettlementAccounts.clearing('CNY')]);
    const sum = (d: 'payout' | 'collection') =>
      first.instructions.reduce((s, i) => s + (i.direction === d ? i.amountMinor : 0n), 0n);
    if (
      parseMinorUnits(clearing.creditsPosted, 2) !== sum('payout') ||
      parseMinorUnits(clearing.debitsPosted, 2) !== sum('collection')
    ) {
      throw new Error(
        `clearing ${JSON.stringify(clearing)} does not hold payouts ${sum('payout')} / collections ${sum('collection')}`,
      );
    }
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ledger.transfers WHERE code LIKE 'settlement.%'`,
    );
    if (Number(rows[0].n) !== first.postings.length)
      throw new Error(`ledger holds ${rows[0].n} settlement transfers, expected ${first.postings.length}`);
    const ms = first.timingsMs;
    return {
      metrics: { window_settlement_s: { value: settleS, unit: 's', target: 20 } },
      notes:
        `window_settlement_s: ${count.toLocaleString('en')} transfers in PostgreSQL (loaded beforehand with unnest in 50k-row statements, ${loadS.toFixed(1)} s, not timed); ` +
        `settleWindow read ${(ms.load / 1000).toFixed(2)} s (keyset pages of 100k, array row mode), net+instructions ${(ms.net / 1000).toFixed(2)} s, ` +
        `post ${(ms.post / 1000).toFixed(2)} s (${first.posted.length} transfers as one linked batch to PgLedger), report ${(ms.report / 1000).toFixed(2)} s ` +
        `(${first.report.rows.length} rows + ${first.instructions.length} instructions via unnest). Settling again took ${againS.toFixed(2)} s and posted nothing. ` +
        `Checked: clearing credits = payouts (${clearing.creditsPosted}), debits = collections (${clearing.debitsPosted}), one ledger transfer per instruction.`,
    };
  } finally {
    await pool.end();
    await db.drop();
  }
}
