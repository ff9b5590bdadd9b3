import { BatchEffects, EvaluationContext } from '../engine/batch-evaluator';
import { sqlLiteral, TextArrayBuilder } from './pg-arrays';
import { jsonForDb, Queryable } from './rows';

export interface WriteOptions {
  /**
   * Append COMMIT to the same simple query: the batch's write and its commit cost one round trip, and the
   * row locks go as soon as the commit is durable instead of after another client/server hop. Profiled on
   * the 64-caller group-commit run (three round trips per small batch became two) and on 5,000-transfer
   * batches (the locks are held for one hop less).
   */
  commit?: boolean;
}

/**
 * Writes a batch's effects with one statement: a multi-row INSERT per table from unnest() arrays and one
 * UPDATE ... FROM unnest() for the touched accounts (absolute balances, computed under the row locks).
 *
 * The statement travels as one simple query with its arrays inline as quoted literals (`sqlLiteral`), not
 * as bind parameters, so that COMMIT can ride in the same message. Each array literal is parsed once by
 * array_in either way. Entries are not sent as rows: every transfer the evaluator records has exactly two,
 * debit side then credit side, with the transfer's posted amount and pending delta, so the entries are
 * derived in SQL from the transfer arrays plus the eight balance-after columns. That halves the elements
 * the server parses and the JS builds inside the lock window.
 */
export async function writeEffects(
  db: Queryable,
  fx: BatchEffects,
  ctx: EvaluationContext,
  options: WriteOptions = {},
): Promise<void> {
  const parts: string[] = [];
  const now = `${sqlLiteral(ctx.now.toISOString())}::timestamptz`;

  const t = fx.transfers;
  const e = fx.entries;
  if (t.length > 0) {
    if (e.length !== 2 * t.length) throw new Error('ledger: every recorded transfer must have two entries');
    const id = new TextArrayBuilder();
    const type = new TextArrayBuilder();
    const dr = new TextArrayBuilder();
    const cr = new TextArrayBuilder();
    const amount = new TextArrayBuilder();
    const currency = new TextArrayBuilder();
    const code = new TextArrayBuilder();
    const metadata = new TextArrayBuilder();
    const pendingId = new TextArrayBuilder();
    const timeoutAt = new TextArrayBuilder();
    const hash = new TextArrayBuilder();
    const posted = new TextArrayBuilder();
    const pendingDelta = new TextArrayBuilder();
    // Balances after the transfer: debit side (d*) and credit side (c*).
    const ddp = new TextArrayBuilder();
    const dcp = new TextArrayBuilder();
    const ddpe = new TextArrayBuilder();
    const dcpe = new TextArrayBuilder();
    const cdp = new TextArrayBuilder();
    const ccp = new TextArrayBuilder();
    const cdpe = new TextArrayBuilder();
    const ccpe = new TextArrayBuilder();
    for (let i = 0; i < t.length; i++) {
      const x = t[i]!;
      const d = e[2 * i]!;
      const c = e[2 * i + 1]!;
      if (d.transferId !== x.id || c.transferId !== x.id || d.side !== 'D' || c.side !== 'C')
        throw new Error(`ledger: entries of transfer ${x.id} are out of order`);
      id.text(x.id);
      type.text(x.type);
      dr.text(x.debitAccountId);
      cr.text(x.creditAccountId);
      amount.plain(x.amountMinor.toString());
      currency.text(x.currency);
      code.text(x.codeText);
      metadata.textOrNull(x.metadata === null ? null : jsonForDb(x.metadata));
      pendingId.textOrNull(x.pendingId);
      timeoutAt.textOrNull(x.timeoutAt === null ? null : x.timeoutAt.toISOString());
      hash.plain(x.hash);
      posted.plain(d.postedAmount.toString());
      pendingDelta.plain(d.pendingDelta.toString());
      ddp.plain(d.after.debitsPosted.toString());
      dcp.plain(d.after.creditsPosted.toString());
      ddpe.plain(d.after.debitsPending.toString());
      dcpe.plain(d.after.creditsPending.toString());
      cdp.plain(c.after.debitsPosted.toString());
      ccp.plain(c.after.creditsPosted.toString());
      cdpe.plain(c.after.debitsPending.toString());
      ccpe.plain(c.after.creditsPending.toString());
    }
    const big = (b: TextArrayBuilder): string => `${b.literal()}::bigint[]`;
    const txt = (b: TextArrayBuilder): string => `${b.literal()}::text[]`;
    parts.push(`x AS MATERIALIZED (SELECT * FROM unnest(${txt(id)}, ${txt(type)}, ${txt(dr)}, ${txt(cr)},
        ${big(amount)}, ${txt(currency)}, ${txt(code)}, ${txt(metadata)}, ${txt(pendingId)},
        ${timeoutAt.literal()}::timestamptz[], ${txt(hash)}, ${big(posted)}, ${big(pendingDelta)},
        ${big(ddp)}, ${big(dcp)}, ${big(ddpe)}, ${big(dcpe)}, ${big(cdp)}, ${big(ccp)}, ${big(cdpe)}, ${big(ccpe)})
        WITH ORDINALITY AS u(id, type, dr, cr, amount, currency, code, metadata, pending_id, timeout_at, hash,
          posted, pending_delta, ddp, dcp, ddpe, dcpe, cdp, ccp, cdpe, ccpe, ord))`);
    parts.push(`t AS (INSERT INTO ledger.transfers
      (id, type, debit_account_id, credit_account_id, amount, currency, code, metadata, pending_id, timeout_at, payload_hash, created_at)
      SELECT x.id, x.type, x.dr, x.cr, x.amount, x.currency, x.code, x.metadata::jsonb, x.pending_id, x.timeout_at, x.hash, ${now}
      FROM x)`);
    // Insertion order (hence the entries' bigserial ids) is input order, debit side first, as before.
    parts.push(`e AS (INSERT INTO ledger.entries
      (transfer_id, account_id, side, posted_amount, pending_delta, debits_posted, credits_posted, debits_pending, credits_pending, created_at)
      SELECT x.id, s.account_id, s.side, x.posted, x.pending_delta, s.dp, s.cp, s.dpe, s.cpe, ${now}
      FROM x CROSS JOIN LATERAL (VALUES (1, x.dr, 'D', x.ddp, x.dcp, x.ddpe, x.dcpe), (2, x.cr, 'C', x.cdp, x.ccp, x.cdpe, x.ccpe))
        AS s(k, account_id, side, dp, cp, dpe, cpe)
      ORDER BY x.ord, s.k)`);
  }
  if (fx.touched.size > 0) {
    const ids = new TextArrayBuilder();
    const dp = new TextArrayBuilder();
    const cp = new TextArrayBuilder();
    const dpe = new TextArrayBuilder();
    const cpe = new TextArrayBuilder();
    for (const accountId of fx.touched) {
      const b = ctx.accounts.get(accountId)!.balance;
      ids.text(accountId);
      dp.plain(b.debitsPosted.toString());
      cp.plain(b.creditsPosted.toString());
      dpe.plain(b.debitsPending.toString());
      cpe.plain(b.creditsPending.toString());
    }
    parts.push(`a AS (UPDATE ledger.accounts acc SET debits_posted = u.dp, credits_posted = u.cp, debits_pending = u.dpe,
        credits_pending = u.cpe, last_entry_at = ${now}, updated_at = ${now}
      FROM unnest(${ids.literal()}::text[], ${dp.literal()}::bigint[], ${cp.literal()}::bigint[],
        ${dpe.literal()}::bigint[], ${cpe.literal()}::bigint[]) AS u(id, dp, cp, dpe, cpe)
      WHERE acc.id = u.id)`);
  }
  // A hold opened and resolved in the same batch never needs an open_pendings row.
  const resolved = new Set(fx.resolvedPendings);
  const opened = fx.openedPendings.filter((x) => !resolved.has(x.id));
  const openedIds = new Set(fx.openedPendings.map((x) => x.id));
  const closed = fx.resolvedPendings.filter((id) => !openedIds.has(id));
  if (opened.length > 0) {
    const ids = TextArrayBuilder.of(opened.map((x) => x.id));
    const timeouts = TextArrayBuilder.of(
      opened.map((x) => (x.timeoutAt === null ? null : x.timeoutAt.toISOString())),
    );
    parts.push(`o AS (INSERT INTO ledger.open_pendings (transfer_id, timeout_at)
      SELECT * FROM unnest(${ids.literal()}::text[], ${timeouts.literal()}::timestamptz[]))`);
  }
  if (closed.length > 0) {
    parts.push(
      `d AS (DELETE FROM ledger.open_pendings WHERE transfer_id = ANY(${TextArrayBuilder.of(closed).literal()}::text[]))`,
    );
  }
  if (fx.rejections.length > 0) {
    const r = fx.rejections;
    const ids = TextArrayBuilder.of(r.map((x) => x.transferId));
    const codes = TextArrayBuilder.of(r.map((x) => x.code));
    const messages = TextArrayBuilder.of(r.map((x) => x.message));
    const payloads = TextArrayBuilder.of(r.map((x) => jsonForDb(x.payload)));
    parts.push(`r AS (INSERT INTO ledger.rejections (transfer_id, code, message, payload, created_at)
      SELECT u.transfer_id, u.code, u.message, u.payload::jsonb, ${now}
      FROM unnest(${ids.literal()}::text[], ${codes.literal()}::text[], ${messages.literal()}::text[],
        ${payloads.literal()}::text[]) AS u(transfer_id, code, message, payload))`);
  }
  const commit = options.commit ? ';\nCOMMIT' : '';
  if (parts.length === 0) {
    if (commit) await db.query('COMMIT');
    return;
  }
  await db.query(`WITH ${parts.join(',\n')} SELECT 1${commit}`);
}
