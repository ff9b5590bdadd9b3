import type { PoolClient } from 'pg';
import {
  type OrderEvent,
  type PayloadOf,
  SettlementWindowClosed,
  type SettlementWindowView,
  type closeSettlementWindowCommand,
  type listSettlementWindowsCommand,
} from '@paylend/contracts';
import { Money } from '@paylend/ledger';
import { enqueue } from '@paylend/messaging';
import { openWindow, transition } from '@paylend/settlement';
import type { Sql } from '@paylend/wallet-data-access';
import {
  audited,
  endOfDay,
  fail,
  feeAccountId,
  merchantParticipant,
  ok,
  type Outcome,
  schemeOf,
  type SettlementDeps,
  windowView,
} from './settlement-core';
import { type ClearedRow, settlementRepository as repo, type WindowRow } from './settlement.repository';

/** The scheme's OPEN window, opened (the next sequence, closing at the end of today) when there is none. */
export async function ensureOpenWindow(
  deps: SettlementDeps,
  tx: Sql,
  scheme: string,
  lock: 'share' | 'update' = 'update',
): Promise<WindowRow> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const open = await repo.openWindow(tx, scheme, lock);
    if (open) return open;
    const now = deps.clock.now();
    const w = openWindow(scheme, (await repo.lastSequence(tx, scheme)) + 1, deps.clock);
    const row: WindowRow = { ...w, closesAt: endOfDay(now).toISOString(), closedBy: null, settledBy: null };
    if (await repo.insertOpen(tx, row)) return row;
  }
  throw new Error(`could not open a settlement window for ${scheme}`);
}

/** Closes the scheme's open window (by an operator or by the clock) and opens the next one. */
async function closeOpen(
  deps: SettlementDeps,
  tx: PoolClient,
  open: WindowRow,
  by: string,
): Promise<{ closed: SettlementWindowView; next: SettlementWindowView }> {
  const closed: WindowRow = {
    ...transition(open, 'close', deps.clock),
    closesAt: open.closesAt,
    closedBy: by,
    settledBy: null,
  };
  await repo.saveWindow(tx, closed);
  const next = await ensureOpenWindow(deps, tx, open.scheme);
  const closedView = windowView(closed, await repo.transferCount(tx, closed.id));
  await enqueue(tx, SettlementWindowClosed, {
    window: closedView,
    by: by === 'clock' ? 'clock' : 'operator',
    at: deps.clock.now().toISOString(),
  });
  return { closed: closedView, next: windowView(next, 0) };
}

export function closeWindow(
  deps: SettlementDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof closeSettlementWindowCommand>,
): Promise<Outcome<{ closed: SettlementWindowView; next: SettlementWindowView }>> {
  return audited(tx, cmd.actor, 'settlement.close-window', cmd.scheme, async () => {
    // A retried request (its first answer lost to a timeout) answers with the window it closed, as that
    // window and the next stand now, rather than closing the next one too.
    const earlier = cmd.requestId ? await repo.closedByRequest(tx, cmd.scheme, cmd.requestId) : null;
    if (earlier?.next) {
      return ok({
        closed: windowView(earlier.closed, await repo.transferCount(tx, earlier.closed.id)),
        next: windowView(earlier.next, await repo.transferCount(tx, earlier.next.id)),
      });
    }
    const open = await repo.openWindow(tx, cmd.scheme, 'update');
    if (!open)
      return fail('NO_OPEN_WINDOW', `scheme ${cmd.scheme} has no open window; nothing has cleared in it yet`);
    const closed = await closeOpen(deps, tx, open, `operator:${cmd.actor.userId}`);
    if (cmd.requestId) await repo.recordCloseRequest(tx, open.id, cmd.requestId);
    return ok(closed);
  });
}

/** The clock's close: every open window whose day has ended. Returns the windows it closed. */
export async function closeDueWindows(deps: SettlementDeps, tx: PoolClient): Promise<SettlementWindowView[]> {
  const out: SettlementWindowView[] = [];
  for (const due of await repo.dueWindows(tx, deps.clock.now())) {
    const open = await repo.window(tx, due.id, true);
    if (!open || open.status !== 'OPEN') continue;
    out.push((await closeOpen(deps, tx, open, 'clock')).closed);
  }
  return out;
}

/**
 * The window a transfer clearing now belongs to. A window whose day has ended is closed here first (by the
 * clock), so a transfer is never put in yesterday's window just because the closer has not run yet. The
 * open window is share-locked: clearings run side by side, and a close waits for those in flight.
 */
async function windowForClearing(deps: SettlementDeps, tx: PoolClient, scheme: string): Promise<WindowRow> {
  const open = await repo.openWindow(tx, scheme);
  if (open && new Date(open.closesAt) <= deps.clock.now()) await closeDueWindows(deps, tx);
  return ensureOpenWindow(deps, tx, scheme, 'share');
}

interface LedgerTransferRow {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  currency: string;
  metadata: Record<string, unknown> | null;
}

const minorOf = (dto: { amount: string; currency: string }) => Money.of(dto.amount, dto.currency).toMinor();

/** Served by `transfers_settlement_reference_idx` (settlement migration 0002): never a journal scan. */
export const CAPTURES_BY_ORDER_SQL = `SELECT id, debit_account_id, credit_account_id, amount::text, currency, metadata, metadata->>'reference' AS reference
     FROM ledger.transfers
     WHERE code = 'hold-capture' AND metadata->>'reference' = ANY($1::text[]) ORDER BY created_at, id`;

/** Each order's hold captures (code hold-capture, by its order reference), oldest first. */
async function capturesOf(tx: Sql, orderIds: readonly string[]): Promise<Map<string, LedgerTransferRow[]>> {
  const { rows } = await tx.query<LedgerTransferRow & { reference: string }>(CAPTURES_BY_ORDER_SQL, [
    [...new Set(orderIds)],
  ]);
  const out = new Map<string, LedgerTransferRow[]>();
  for (const { reference, ...r } of rows) out.set(reference, [...(out.get(reference) ?? []), r]);
  return out;
}

/** The fee legs captures `hold:<id>:capture` were posted with (`hold:<id>:fee`), by capture id. */
async function feesOfCaptures(
  tx: Sql,
  captureIds: readonly string[],
): Promise<Map<string, LedgerTransferRow>> {
  const feeIds = new Map(
    captureIds.flatMap((id) => {
      const feeId = id.replace(/:capture$/, ':fee');
      return feeId === id ? [] : [[feeId, id] as const];
    }),
  );
  if (feeIds.size === 0) return new Map();
  const { rows } = await tx.query<LedgerTransferRow>(
    `SELECT id, debit_account_id, credit_account_id, amount::text, currency, metadata FROM ledger.transfers
     WHERE id = ANY($1::text[]) AND code = 'hold-capture-fee'`,
    [[...feeIds.keys()]],
  );
  return new Map(rows.map((r) => [feeIds.get(r.id)!, r]));
}

/**
 * What an order event clears as, given the order's captures and the fee legs found for them: the capture
 * paid from the payer's wallet for the captured amount, checked against the ledger to the minor unit.
 * Throws when payments and the ledger disagree (the inbox retries, then dead-letters the event).
 */
function paymentClearing(
  e: OrderEvent,
  captures: readonly LedgerTransferRow[],
  feeOf: (captureId: string) => LedgerTransferRow | null,
  windowId: string,
  clearedAt: Date,
): { row: ClearedRow; capture: LedgerTransferRow; legacyFee: boolean } {
  const captured = minorOf(e.captured);
  const capture =
    captures.find((r) => BigInt(r.amount) === captured && r.metadata?.['walletId'] === e.payerWalletId) ??
    captures[0];
  if (!capture) throw new Error(`order ${e.orderId} succeeded but the ledger has no capture for it`);
  if (BigInt(capture.amount) !== captured) {
    throw new Error(
      `order ${e.orderId}: payments captured ${e.captured.amount} but the ledger's ${capture.id} holds ${capture.amount} minor units`,
    );
  }
  const merchantWalletId = String(capture.metadata?.['toWalletId'] ?? '');
  if (!merchantWalletId) throw new Error(`capture ${capture.id} names no merchant wallet`);
  const linkedFee = feeOf(capture.id);
  const fee = minorOf(e.fee);
  if (linkedFee && BigInt(linkedFee.amount) !== fee) {
    throw new Error(
      `order ${e.orderId}: payments charged a fee of ${e.fee.amount} but the ledger's ${linkedFee.id} holds ${linkedFee.amount} minor units`,
    );
  }
  const legacyFee = !linkedFee && fee > 0n;
  return {
    capture,
    legacyFee,
    row: {
      transferId: capture.id,
      windowId,
      kind: 'payment',
      payer: `wallet:${e.payerWalletId ?? capture.debit_account_id}`,
      payee: merchantParticipant(e.merchantId),
      amountMinor: captured,
      feeMinor: fee,
      currency: e.captured.currency,
      orderId: e.orderId,
      merchantId: e.merchantId,
      merchantWalletId,
      feeTransferId: linkedFee ? linkedFee.id : legacyFee ? `fee:${e.orderId}` : null,
      clearedAt,
    },
  };
}

/**
 * A payment order succeeded: its hold capture (already in the ledger, found by the order reference) clears
 * into the open window with the fee the wallet booked in the same linked chain as the capture
 * (`hold:<id>:fee`, merchant wallet -> fee account), which the window records by id: clearing posts no fee
 * of its own. A capture made without a fee leg while the order names a fee (one captured by a wallet or
 * payments from before fees moved into the capture) still has it booked here, once, as `fee:<orderId>`.
 */
export async function clearPayment(
  deps: SettlementDeps,
  tx: PoolClient,
  e: OrderEvent,
): Promise<'cleared' | 'already'> {
  const captures = (await capturesOf(tx, [e.orderId])).get(e.orderId) ?? [];
  const fees = await feesOfCaptures(
    tx,
    captures.map((c) => c.id),
  );
  const window = await windowForClearing(deps, tx, schemeOf(e.captured.currency));
  const { row, capture, legacyFee } = paymentClearing(
    e,
    captures,
    (id) => fees.get(id) ?? null,
    window.id,
    deps.clock.now(),
  );
  if (!(await repo.insertCleared(tx, row))) return 'already';
  if (legacyFee) {
    const [r] = await deps.ledger.postInTransaction(tx, [
      {
        type: 'single',
        id: row.feeTransferId!,
        debitAccountId: capture.credit_account_id,
        creditAccountId: feeAccountId(e.fee.currency),
        amount: e.fee.amount,
        currency: e.fee.currency,
        code: 'settlement.fee',
        metadata: { orderId: e.orderId, merchantId: e.merchantId, windowId: window.id },
      },
    ]);
    if (!r!.ok) throw new Error(`fee ${row.feeTransferId} refused by the ledger: ${r!.code} ${r!.message}`);
  }
  return 'cleared';
}

/**
 * clearPayment for a chunk of order events, with a constant number of statements: captures, fee legs,
 * windows and cleared rows each read or written once. A chunk with a legacy fee to book (or anything
 * clearPayment would refuse) throws, and the inbox clears its events one at a time.
 */
export async function clearPayments(
  deps: SettlementDeps,
  tx: PoolClient,
  events: readonly OrderEvent[],
): Promise<void> {
  if (events.length === 1) {
    await clearPayment(deps, tx, events[0]!);
    return;
  }
  const captures = await capturesOf(
    tx,
    events.map((e) => e.orderId),
  );
  const fees = await feesOfCaptures(
    tx,
    [...captures.values()].flat().map((c) => c.id),
  );
  const windows = new Map<string, WindowRow>();
  for (const scheme of new Set(events.map((e) => schemeOf(e.captured.currency))))
    windows.set(scheme, await windowForClearing(deps, tx, scheme));
  const now = deps.clock.now();
  const plans = events.map((e) =>
    paymentClearing(
      e,
      captures.get(e.orderId) ?? [],
      (id) => fees.get(id) ?? null,
      windows.get(schemeOf(e.captured.currency))!.id,
      now,
    ),
  );
  if (plans.some((p) => p.legacyFee)) throw new Error('a legacy fee to book: clearing one event at a time');
  await repo.insertClearedMany(
    tx,
    plans.map((p) => p.row),
  );
}

/** A refund was paid from the merchant's wallet (ledger transfer `p2p:refund:<refundId>`): it clears too. */
export async function clearRefund(
  deps: SettlementDeps,
  tx: PoolClient,
  e: OrderEvent & { refundId: string; refundAmount: { amount: string; currency: string } },
): Promise<'cleared' | 'already'> {
  // Payments pays refunds as wallet p2p transfers with id `refund:<refundId>`, journaled as `p2p:<id>`.
  const id = `p2p:refund:${e.refundId}`;
  const { rows } = await tx.query<LedgerTransferRow>(
    `SELECT id, debit_account_id, credit_account_id, amount::text, currency, metadata FROM ledger.transfers WHERE id = $1`,
    [id],
  );
  const t = rows[0];
  if (!t) throw new Error(`order ${e.orderId} refunded ${e.refundId} but the ledger has no transfer ${id}`);
  const amount = minorOf(e.refundAmount);
  if (BigInt(t.amount) !== amount)
    throw new Error(
      `refund ${id}: payments says ${e.refundAmount.amount}, the ledger holds ${t.amount} minor units`,
    );
  const window = await windowForClearing(deps, tx, schemeOf(t.currency));
  const inserted = await repo.insertCleared(tx, {
    transferId: id,
    windowId: window.id,
    kind: 'refund',
    payer: merchantParticipant(e.merchantId),
    payee: `wallet:${String(t.metadata?.['toWalletId'] ?? t.credit_account_id)}`,
    amountMinor: amount,
    feeMinor: 0n,
    currency: t.currency,
    orderId: e.orderId,
    merchantId: e.merchantId,
    merchantWalletId: String(t.metadata?.['fromWalletId'] ?? ''),
    feeTransferId: null,
    clearedAt: deps.clock.now(),
  });
  return inserted ? 'cleared' : 'already';
}

export async function listWindows(
  tx: Sql,
  cmd: PayloadOf<typeof listSettlementWindowsCommand>,
): Promise<Outcome<SettlementWindowView[]>> {
  if (!cmd.actor.roles.includes('operator')) return fail('FORBIDDEN', 'settlement windows are for operators');
  const windows = await repo.listWindows(tx, null, cmd.status ?? null, cmd.scheme ?? null);
  const out: SettlementWindowView[] = [];
  for (const w of windows) out.push(windowView(w, await repo.transferCount(tx, w.id)));
  return ok(out);
}
