import { BatchEffects, EvaluationContext } from '../engine/batch-evaluator';
import { sqlLiteral, TextArrayBuilder } from './pg-arrays';
import { Metadata, NormalizedTransfer, Validated } from '../transfer';
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
  prepared?: StaticColumns | null,
): Promise<void> {
  const parts: string[] = [];
  const now = `${sqlLiteral(ctx.now.toISOString())}::timestamptz`;

  const t = fx.transfers;
  const e = fx.entries;
  if (t.length > 0) {
    if (e.length !== 2 * t.length) throw new Error('ledger: every recorded transfer must have two entries');
    // Every transfer of the batch recorded, in input order: the columns that do not depend on account state
    // were built before the locks were taken.
    const pre = prepared !== undefined && prepared !== null && prepared.count === t.length ? prepared : null;
    const columns = pre ?? new StaticColumns();
    const timeoutAt = new TextArrayBuilder();
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
      if (pre === null)
        columns.add(
          x.id,
          x.type,
          x.debitAccountId,
          x.creditAccountId,
          x.amountMinor,
          x.currency,
          x.codeText,
          x.metadata,
          x.pendingId,
          x.hash,
          d.postedAmount,
          d.pendingDelta,
        );
      else if (pre.ids[i] !== x.id) throw new Error(`ledger: transfer ${x.id} is not the prepared one`);
      timeoutAt.textOrNull(x.timeoutAt === null ? null : x.timeoutAt.toISOString());
      ddp.plain(d.after.debitsPosted.toString());
      dcp.plain(d.after.creditsPosted.toString());
      ddpe.plain(d.after.debitsPending.toString());
      dcpe.plain(d.after.creditsPending.toString());
      cdp.plain(c.after.debitsPosted.toString());
      ccp.plain(c.after.creditsPosted.toString());
      cdpe.plain(c.after.debitsPending.toString());
      ccpe.plain(c.after.creditsPending.toString());
    }
    const { id, type, dr, cr, amount, currency, code, metadata, pendingId, hash, posted, pendingDelta } =
      columns.literals();
    const big = (b: TextArrayBuilder): string => `${b.literal()}::bigint[]`;
    parts.push(`x AS MATERIALIZED (SELECT * FROM unnest(${id}::text[], ${type}::text[], ${dr}::text[], ${cr}::text[],
        ${amount}::bigint[], ${currency}::text[], ${code}::text[], ${metadata}::text[], ${pendingId}::text[],
        ${timeoutAt.literal()}::timestamptz[], ${hash}::text[], ${posted}::bigint[], ${pendingDelta}::bigint[],
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
  // From about 10,000 transfers the materialised transfer rows, the entries' sort and the trigger's
  // transition table outgrow the default work_mem (4 MB) and spill to temporary files. Only a transaction
  // the ledger commits itself gets the setting (SET LOCAL would outlive this call in the caller's).
  const memory = options.commit && t.length >= 8000 ? `SET LOCAL work_mem = '64MB';\n` : '';
  await db.query(`${memory}WITH ${parts.join(',\n')} SELECT 1${commit}`);
}

/**
 * The transfer columns that do not depend on account state (ids, accounts, amounts, codes, hashes and the
 * posted/pending split of a single or pending transfer), as array literals. `prepareColumns` builds them
 * before the batch takes its locks, for a batch whose transfers are all valid new single or pending
 * transfers with distinct ids: when every one of them is recorded (the usual case), the lock window only
 * adds the balances after each transfer. Otherwise the writer fills a fresh one per recorded transfer.
 */
export class StaticColumns {
  readonly ids: string[] = [];
  private readonly id = new TextArrayBuilder();
  private readonly type = new TextArrayBuilder();
  private readonly dr = new TextArrayBuilder();
  private readonly cr = new TextArrayBuilder();
  private readonly amount = new TextArrayBuilder();
  private readonly currency = new TextArrayBuilder();
  private readonly code = new TextArrayBuilder();
  private readonly metadata = new TextArrayBuilder();
  private readonly pendingId = new TextArrayBuilder();
  private readonly hash = new TextArrayBuilder();
  private readonly posted = new TextArrayBuilder();
  private readonly pendingDelta = new TextArrayBuilder();
  private built: Record<
    | 'id'
    | 'type'
    | 'dr'
    | 'cr'
    | 'amount'
    | 'currency'
    | 'code'
    | 'metadata'
    | 'pendingId'
    | 'hash'
    | 'posted'
    | 'pendingDelta',
    string
  > | null = null;

  get count(): number {
    return this.ids.length;
  }

  add(
    id: string,
    type: string,
    dr: string,
    cr: string,
    amountMinor: bigint,
    currency: string,
    codeText: string,
    metadata: Metadata | null,
    pendingId: string | null,
    hash: string,
    posted: bigint,
    pendingDelta: bigint,
  ): void {
    this.ids.push(id);
    this.id.text(id);
    this.type.text(type);
    this.dr.text(dr);
    this.cr.text(cr);
    const amount = amountMinor.toString();
    this.amount.plain(amount);
    this.currency.text(currency);
    this.code.text(codeText);
    this.metadata.textOrNull(metadata === null ? null : jsonForDb(metadata));
    this.pendingId.textOrNull(pendingId);
    this.hash.plain(hash);
    this.posted.plain(posted === amountMinor ? amount : posted.toString());
    this.pendingDelta.plain(pendingDelta === amountMinor ? amount : pendingDelta.toString());
  }

  /** A valid new single or pending transfer, as the evaluator records it when it succeeds. */
  addNew(t: NormalizedTransfer): void {
    const a = t.amountMinor!;
    const pending = t.type === 'pending';
    this.add(
      t.id,
      t.type,
      t.debitAccountId!,
      t.creditAccountId!,
      a,
      t.currency!,
      t.code!,
      t.metadata,
      null,
      t.hash,
      pending ? 0n : a,
      pending ? a : 0n,
    );
  }

  literals(): NonNullable<StaticColumns['built']> {
    this.built ??= {
      id: this.id.literal(),
      type: this.type.literal(),
      dr: this.dr.literal(),
      cr: this.cr.literal(),
      amount: this.amount.literal(),
      currency: this.currency.literal(),
      code: this.code.literal(),
      metadata: this.metadata.literal(),
      pendingId: this.pendingId.literal(),
      hash: this.hash.literal(),
      posted: this.posted.literal(),
      pendingDelta: this.pendingDelta.literal(),
    };
    return this.built;
  }
}

/**
 * An empty `StaticColumns` when the batch is made only of valid new single/pending transfers with distinct
 * ids (what the evaluator records in input order when none of them fails), else null. The caller fills it
 * with `addNew` in input order, then calls `literals()`, all before taking the locks.
 */
export function preparableColumns(validated: readonly Validated[]): StaticColumns | null {
  const seen = new Set<string>();
  for (const v of validated) {
    if (!v.ok || v.value.pendingId !== null || seen.has(v.value.id)) return null;
    seen.add(v.value.id);
  }
  return new StaticColumns();
}
