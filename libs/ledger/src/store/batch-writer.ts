import { BatchEffects, EvaluationContext } from '../engine/batch-evaluator';
import { bigintArray, textArray, timestampArray } from './pg-arrays';
import { jsonForDb, Queryable } from './rows';

/**
 * Writes a batch's effects with one statement: a multi-row INSERT from unnest() arrays per table and one
 * UPDATE ... FROM unnest() for the touched accounts (absolute balances, computed under the row locks).
 */
export async function writeEffects(db: Queryable, fx: BatchEffects, ctx: EvaluationContext): Promise<void> {
  const parts: string[] = [];
  const values: unknown[] = [ctx.now];
  const p = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  const text = (xs: ReadonlyArray<string | null>): string => `${p(textArray(xs))}::text[]`;
  const big = (xs: readonly bigint[]): string => `${p(bigintArray(xs))}::bigint[]`;
  const time = (xs: ReadonlyArray<Date | null>): string => `${p(timestampArray(xs))}::timestamptz[]`;

  if (fx.transfers.length > 0) {
    const t = fx.transfers;
    parts.push(`t AS (INSERT INTO ledger.transfers
      (id, type, debit_account_id, credit_account_id, amount, currency, code, metadata, pending_id, timeout_at, payload_hash, created_at)
      SELECT u.id, u.type, u.dr, u.cr, u.amount, u.currency, u.code, u.metadata::jsonb, u.pending_id, u.timeout_at, u.hash, $1::timestamptz
      FROM unnest(${text(t.map((x) => x.id))}, ${text(t.map((x) => x.type))}, ${text(t.map((x) => x.debitAccountId))},
        ${text(t.map((x) => x.creditAccountId))}, ${big(t.map((x) => x.amountMinor))}, ${text(t.map((x) => x.currency))},
        ${text(t.map((x) => x.codeText))}, ${text(t.map((x) => (x.metadata === null ? null : jsonForDb(x.metadata))))},
        ${text(t.map((x) => x.pendingId))}, ${time(t.map((x) => x.timeoutAt))}, ${text(t.map((x) => x.hash))})
        AS u(id, type, dr, cr, amount, currency, code, metadata, pending_id, timeout_at, hash))`);
  }
  if (fx.entries.length > 0) {
    const e = fx.entries;
    parts.push(`e AS (INSERT INTO ledger.entries
      (transfer_id, account_id, side, posted_amount, pending_delta, debits_posted, credits_posted, debits_pending, credits_pending, created_at)
      SELECT u.transfer_id, u.account_id, u.side, u.posted, u.pending_delta, u.dp, u.cp, u.dpe, u.cpe, $1::timestamptz
      FROM unnest(${text(e.map((x) => x.transferId))}, ${text(e.map((x) => x.accountId))}, ${text(e.map((x) => x.side))},
        ${big(e.map((x) => x.postedAmount))}, ${big(e.map((x) => x.pendingDelta))},
        ${big(e.map((x) => x.after.debitsPosted))}, ${big(e.map((x) => x.after.creditsPosted))},
        ${big(e.map((x) => x.after.debitsPending))}, ${big(e.map((x) => x.after.creditsPending))})
        WITH ORDINALITY AS u(transfer_id, account_id, side, posted, pending_delta, dp, cp, dpe, cpe, ord)
      ORDER BY u.ord)`);
  }
  if (fx.touched.size > 0) {
    const ids = [...fx.touched];
    const b = ids.map((id) => ctx.accounts.get(id)!.balance);
    parts.push(`a AS (UPDATE ledger.accounts acc SET debits_posted = u.dp, credits_posted = u.cp, debits_pending = u.dpe,
        credits_pending = u.cpe, last_entry_at = $1::timestamptz, updated_at = $1::timestamptz
      FROM unnest(${text(ids)}, ${big(b.map((x) => x.debitsPosted))}, ${big(b.map((x) => x.creditsPosted))},
        ${big(b.map((x) => x.debitsPending))}, ${big(b.map((x) => x.creditsPending))}) AS u(id, dp, cp, dpe, cpe)
      WHERE acc.id = u.id)`);
  }
  // A hold opened and resolved in the same batch never needs an open_pendings row.
  const resolved = new Set(fx.resolvedPendings);
  const opened = fx.openedPendings.filter((x) => !resolved.has(x.id));
  const openedIds = new Set(fx.openedPendings.map((x) => x.id));
  const closed = fx.resolvedPendings.filter((id) => !openedIds.has(id));
  if (opened.length > 0) {
    parts.push(`o AS (INSERT INTO ledger.open_pendings (transfer_id, timeout_at)
      SELECT * FROM unnest(${text(opened.map((x) => x.id))}, ${time(opened.map((x) => x.timeoutAt))}))`);
  }
  if (closed.length > 0) {
    parts.push(`d AS (DELETE FROM ledger.open_pendings WHERE transfer_id = ANY(${text(closed)}))`);
  }
  if (fx.rejections.length > 0) {
    const r = fx.rejections;
    parts.push(`r AS (INSERT INTO ledger.rejections (transfer_id, code, message, payload, created_at)
      SELECT u.transfer_id, u.code, u.message, u.payload::jsonb, $1::timestamptz
      FROM unnest(${text(r.map((x) => x.transferId))}, ${text(r.map((x) => x.code))}, ${text(r.map((x) => x.message))},
        ${text(r.map((x) => jsonForDb(x.payload)))}) AS u(transfer_id, code, message, payload))`);
  }
  if (parts.length === 0) return;
  await db.query(`WITH ${parts.join(',\n')} SELECT 1`, values);
}
