import type { PoolClient } from 'pg';
import {
  HoldCaptured,
  HoldCreated,
  HoldExpired,
  type HoldView,
  HoldVoided,
  type PayloadOf,
  TransferPosted,
  type captureHoldCommand,
  type createHoldCommand,
  type getHoldCommand,
  type voidHoldCommand,
} from '@paylend/contracts';
import { Money, type PostResult, type TransferInput } from '@paylend/ledger';
import { enqueue } from '@paylend/messaging';
import {
  walletRepository as repo,
  type HoldRow,
  type Sql,
  type WalletRow,
} from '@paylend/wallet-data-access';
import type { TierLimits } from '../kyc/kyc-tiers';
import { checkBalanceCap, checkOutflow, utcDay } from '../kyc/limits';
import {
  fail,
  type Failure,
  feeAccountId,
  isPrivileged,
  ledgerRefusal,
  limitFailure,
  money,
  ok,
  type Outcome,
  parseAmount,
  postedMinor,
  statusRefusal,
  systemAccountId,
  visibleTo,
  mayMoveFrom,
  mayResolve,
  walletNotFound,
  type WalletDeps,
} from '../wallet/wallet-core';

export const holdLedgerId = (holdId: string) => `hold:${holdId}`;
/** The fee leg a capture posts with the capture, linked to it: `hold:<id>:fee`. */
export const holdFeeLedgerId = (holdId: string) => `${holdLedgerId(holdId)}:fee`;

/** The hold as the wallet reports it: gross captured, the fee taken from the receiver with it, and net. */
export function holdView(h: HoldRow, feeMinor = 0n): HoldView {
  const captured = BigInt(h.captured_minor);
  return {
    holdId: h.id,
    walletId: h.wallet_id,
    amount: money(BigInt(h.amount_minor), h.currency),
    captured: money(captured, h.currency),
    fee: money(feeMinor, h.currency),
    net: money(captured - feeMinor, h.currency),
    status: h.status,
    reference: h.reference,
    expiresAt: h.expires_at?.toISOString() ?? null,
  };
}

/** The fee a captured hold's linked fee leg took, read from the ledger (zero when it had none). */
async function capturedFeeMinor(tx: Sql, h: HoldRow): Promise<bigint> {
  if (h.status !== 'captured') return 0n;
  const { rows } = await tx.query<{ amount: string }>(
    'SELECT amount::text AS amount FROM ledger.transfers WHERE id = $1',
    [holdFeeLedgerId(h.id)],
  );
  return rows[0] ? BigInt(rows[0].amount) : 0n;
}

async function holdViewOf(tx: Sql, h: HoldRow): Promise<HoldView> {
  return holdView(h, await capturedFeeMinor(tx, h));
}

export function holdEvent(h: HoldRow, at: Date, feeMinor = 0n) {
  const v = holdView(h, feeMinor);
  return {
    holdId: v.holdId,
    walletId: v.walletId,
    amount: v.amount,
    captured: v.captured,
    fee: v.fee,
    net: v.net,
    status: v.status,
    reference: v.reference,
    at: at.toISOString(),
  };
}

export const holdNotFound = (id: string) => fail('HOLD_NOT_FOUND', `no hold ${id} that you can access`);

/** A hold that `createHoldTerms` let through: what to post, insert and count, given the outflow limits. */
export interface NewHold {
  wallet: WalletRow;
  creditAccount: string;
  amountMinor: bigint;
  limits: TierLimits;
  /** The pending ledger transfer the hold is. */
  input: TransferInput;
}

/**
 * `createHold`'s rules up to the outflow limits, shared with `createHoldMany`: the answer when the command
 * is refused or replays `existing`, else the new hold. `locked` has the command's wallets.
 */
export function createHoldTerms(
  deps: WalletDeps,
  cmd: PayloadOf<typeof createHoldCommand>,
  locked: Map<string, WalletRow>,
  existing: HoldRow | null | undefined,
): { answer: Outcome<HoldView> } | NewHold {
  const w = locked.get(cmd.walletId);
  if (!visibleTo(cmd.actor, w)) return { answer: walletNotFound(cmd.walletId) };
  const notTheirs = mayMoveFrom(cmd.actor, w);
  if (notTheirs) return { answer: notTheirs };
  const amount = parseAmount(cmd.amount, w.currency);
  if (!amount.ok) return { answer: amount };
  if (existing) {
    const same =
      existing.wallet_id === w.id &&
      BigInt(existing.amount_minor) === amount.minor &&
      existing.to_wallet_id === (cmd.toWalletId ?? null);
    return {
      answer: same
        ? ok(holdView(existing))
        : fail('ID_CONFLICT', `hold ${cmd.holdId} exists with other details; use a new hold id`),
    };
  }
  const refused = statusRefusal(w, true);
  if (refused) return { answer: refused };
  let creditAccount = systemAccountId('clearing', w.currency);
  if (cmd.toWalletId) {
    const to = locked.get(cmd.toWalletId);
    if (!to || to.status === 'closed')
      return { answer: fail('RECIPIENT_NOT_FOUND', `no open wallet ${cmd.toWalletId} to capture into`) };
    if (to.currency !== w.currency)
      return { answer: fail('CURRENCY_MISMATCH', `wallet ${to.id} holds ${to.currency}, not ${w.currency}`) };
    if (to.id === w.id)
      return { answer: fail('SAME_WALLET', 'a hold cannot be captured into the wallet it is on') };
    creditAccount = to.ledger_account_id;
  }
  const limits = deps.tiers.limits(w.tier, w.currency);
  if (!limits) return { answer: fail('TIER_UNKNOWN', `tier ${w.tier} has no limits for ${w.currency}`) };
  return {
    wallet: w,
    creditAccount,
    amountMinor: amount.minor,
    limits,
    input: {
      type: 'pending',
      id: holdLedgerId(cmd.holdId),
      debitAccountId: w.ledger_account_id,
      creditAccountId: creditAccount,
      amount: cmd.amount.amount,
      currency: cmd.amount.currency,
      code: 'hold',
      metadata: { reference: cmd.reference ?? null, walletId: w.id },
    },
  };
}

/** The holds row of a new hold created at `now`. */
export function newHoldRow(cmd: PayloadOf<typeof createHoldCommand>, hold: NewHold, now: Date) {
  return {
    id: cmd.holdId,
    walletId: hold.wallet.id,
    toWalletId: cmd.toWalletId ?? null,
    creditAccount: hold.creditAccount,
    currency: hold.wallet.currency,
    amountMinor: hold.amountMinor,
    reference: cmd.reference ?? null,
    expiresAt: cmd.timeoutSeconds ? new Date(now.getTime() + cmd.timeoutSeconds * 1000) : null,
    createdAt: now,
    placedBy: cmd.actor.userId,
  };
}

/**
 * Reserves money on a wallet for another service (a payment, a loan note): a pending ledger transfer. The
 * amount counts against the wallet's outflow limits now; whatever is released later is given back.
 * `announce: false` leaves out HoldCreated, for a hold its own command captures in the same transaction:
 * nobody outside ever sees it open, and its HoldCaptured carries the whole hold.
 */
export async function createHold(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof createHoldCommand>,
  announce = true,
): Promise<Outcome<HoldView>> {
  const locked = await repo.lock(tx, [cmd.walletId, ...(cmd.toWalletId ? [cmd.toWalletId] : [])]);
  const terms = createHoldTerms(deps, cmd, locked, await repo.hold(tx, cmd.holdId));
  if ('answer' in terms) return terms.answer;
  const w = terms.wallet;
  // One instant for the usage's day and the hold's created_at, which is where a release gives usage back.
  const now = deps.clock.now();
  const today = utcDay(now);
  const out = checkOutflow(terms.limits, await repo.outflowUsage(tx, w.id, today), terms.amountMinor);
  if (out) return limitFailure(out, w);
  const [r] = await deps.ledger.postInTransaction(tx, [terms.input]);
  if (!r!.ok) return ledgerRefusal(r!);
  const hold = await repo.insertHold(tx, newHoldRow(cmd, terms, now));
  await repo.addOutflow(tx, w.id, today, terms.amountMinor);
  if (announce) await enqueue(tx, HoldCreated, holdEvent(hold, now));
  return ok(holdView(hold));
}

/** Loads a hold with its wallets locked (wallet rows first, in id order, then the hold row). */
async function lockHold(tx: Sql, cmd: { actor: PayloadOf<typeof getHoldCommand>['actor']; holdId: string }) {
  const peek = await repo.hold(tx, cmd.holdId);
  if (!peek) return null;
  const wallets = await repo.lock(tx, [peek.wallet_id, ...(peek.to_wallet_id ? [peek.to_wallet_id] : [])]);
  const w = wallets.get(peek.wallet_id);
  if (!visibleTo(cmd.actor, w)) return null;
  const hold = (await repo.hold(tx, cmd.holdId, true))!;
  return { hold, wallet: w, to: hold.to_wallet_id ? (wallets.get(hold.to_wallet_id) ?? null) : null };
}

async function alreadyResolved(
  tx: Sql,
  hold: HoldRow,
  wanted: HoldRow['status'],
): Promise<Outcome<HoldView>> {
  if (hold.status === wanted) return ok(await holdViewOf(tx, hold));
  return fail('HOLD_NOT_OPEN', `hold ${hold.id} is already ${hold.status}`);
}

/** A capture's fee from the wire: in the hold's currency, zero up to the captured amount. */
function parseFee(
  cmd: PayloadOf<typeof captureHoldCommand>,
  hold: HoldRow,
  captureMinor: bigint,
): { ok: true; minor: bigint } | Failure {
  if (!cmd.fee) return { ok: true, minor: 0n };
  if (cmd.fee.currency !== hold.currency)
    return fail('CURRENCY_MISMATCH', `the fee is in ${cmd.fee.currency} but the hold is in ${hold.currency}`);
  let minor: bigint;
  try {
    minor = Money.of(cmd.fee.amount, cmd.fee.currency).toMinor();
  } catch (err) {
    return fail('AMOUNT_INVALID', `fee: ${(err as Error).message}`);
  }
  if (minor < 0n) return fail('AMOUNT_INVALID', `a fee cannot be negative (got "${cmd.fee.amount}")`);
  if (minor === 0n) return { ok: true, minor };
  if (minor > captureMinor)
    return fail(
      'AMOUNT_INVALID',
      `the fee ${cmd.fee.amount} is more than the ${money(captureMinor, hold.currency).amount} ${hold.currency} captured`,
    );
  // The fee is charged to the receiver on the platform's behalf: never the payer's (or a hold owner's) call.
  if (!isPrivileged(cmd.actor)) return fail('FORBIDDEN', 'only the platform sets a fee on a capture');
  if (!hold.to_wallet_id)
    return fail(
      'AMOUNT_INVALID',
      `hold ${hold.id} captures into clearing, not a wallet a fee could be taken from`,
    );
  return { ok: true, minor };
}

/**
 * The rules a capture is judged by before its wallets' state is looked at: expiry, the captured amount
 * (all that is held unless the command says less) and the fee. Shared with `captureHoldMany`.
 */
export function captureTerms(
  cmd: PayloadOf<typeof captureHoldCommand>,
  hold: HoldRow,
  now: Date,
): { ok: true; captureMinor: bigint; feeMinor: bigint } | Failure {
  if (hold.expires_at && hold.expires_at <= now)
    return fail('HOLD_EXPIRED', `hold ${hold.id} expired at ${hold.expires_at.toISOString()}`);
  const held = BigInt(hold.amount_minor);
  let captureMinor = held;
  if (cmd.amount) {
    const a = parseAmount(cmd.amount, hold.currency);
    if (!a.ok) return a;
    if (a.minor > held)
      return fail(
        'AMOUNT_EXCEEDS_HOLD',
        `a capture cannot take more than the ${money(held, hold.currency).amount} ${hold.currency} held`,
      );
    captureMinor = a.minor;
  }
  const fee = parseFee(cmd, hold, captureMinor);
  if (!fee.ok) return fee;
  return { ok: true, captureMinor, feeMinor: fee.minor };
}

export const holdCaptureLedgerId = (holdId: string) => `${holdLedgerId(holdId)}:capture`;

/** A capture's ledger chain: the capture, and with a fee the fee leg linked to it (ending the chain). */
export function captureChain(
  hold: HoldRow,
  wallet: WalletRow,
  to: WalletRow | null,
  captureMinor: bigint,
  feeMinor: bigint,
): TransferInput[] {
  const captureId = holdCaptureLedgerId(hold.id);
  const metadata = { reference: hold.reference, walletId: wallet.id, toWalletId: hold.to_wallet_id };
  return [
    {
      type: 'post_pending',
      id: captureId,
      pendingId: holdLedgerId(hold.id),
      amount: money(captureMinor, hold.currency).amount,
      code: 'hold-capture',
      metadata,
      ...(feeMinor > 0n ? { linked: true } : {}),
    },
    ...(feeMinor > 0n && to
      ? [
          {
            type: 'single' as const,
            id: holdFeeLedgerId(hold.id),
            debitAccountId: to.ledger_account_id,
            creditAccountId: feeAccountId(hold.currency),
            amount: money(feeMinor, hold.currency).amount,
            currency: hold.currency,
            code: 'hold-capture-fee',
            metadata: { ...metadata, captureId },
          },
        ]
      : []),
  ];
}

/** The TransferPosted events of a booked capture chain, `postedAt` of each of its transfers. */
export function captureTransferEvents(
  hold: HoldRow,
  wallet: WalletRow,
  captureMinor: bigint,
  feeMinor: bigint,
  postedAt: (i: number) => string,
): Array<PayloadOf<typeof TransferPosted>> {
  return [
    {
      transferId: holdCaptureLedgerId(hold.id),
      kind: 'hold-capture',
      fromWalletId: wallet.id,
      toWalletId: hold.to_wallet_id,
      amount: money(captureMinor, hold.currency),
      note: hold.reference,
      at: postedAt(0),
    },
    ...(feeMinor > 0n
      ? [
          {
            transferId: holdFeeLedgerId(hold.id),
            kind: 'fee' as const,
            fromWalletId: hold.to_wallet_id,
            toWalletId: null,
            amount: money(feeMinor, hold.currency),
            note: hold.reference,
            at: postedAt(1),
          },
        ]
      : []),
  ];
}

/** The cause of a refused chain: the transfer that failed, not the ones undone with it. */
function chainRefusal(results: PostResult[]): Extract<PostResult, { ok: false }> | null {
  const failed = results.filter((r): r is Extract<PostResult, { ok: false }> => !r.ok);
  return failed.find((r) => r.code !== 'LINKED_TRANSFER_FAILED') ?? failed[0] ?? null;
}

/**
 * Captures a hold into its wallet (or clearing) and, with a fee, takes the fee from the receiving wallet to
 * the platform's fee account: one linked ledger chain in this transaction, so the capture and its fee are
 * booked together or not at all, and the receiver never holds the gross without the fee being charged.
 */
export async function captureHold(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof captureHoldCommand>,
): Promise<Outcome<HoldView>> {
  const found = await lockHold(tx, cmd);
  if (!found) return holdNotFound(cmd.holdId);
  const { hold, wallet, to } = found;
  const notTheirs = mayResolve(cmd.actor, hold);
  if (notTheirs) return notTheirs;
  if (hold.status !== 'open') return alreadyResolved(tx, hold, 'captured');
  const now = deps.clock.now();
  const terms = captureTerms(cmd, hold, now);
  if (!terms.ok) return terms;
  const { captureMinor, feeMinor } = terms;
  const refused = statusRefusal(wallet, true);
  if (refused) return refused;
  if (to) {
    const toLimits = deps.tiers.limits(to.tier, to.currency);
    if (!toLimits) return fail('TIER_UNKNOWN', `tier ${to.tier} has no limits for ${to.currency}`);
    // What the receiver keeps is what its cap must allow: the fee leaves in the same chain.
    const cap = checkBalanceCap(toLimits, await postedMinor(tx, to), captureMinor - feeMinor);
    if (cap) return limitFailure(cap, to);
  }
  const results = await deps.ledger.postInTransaction(
    tx,
    captureChain(hold, wallet, to, captureMinor, feeMinor),
  );
  const refusal = chainRefusal(results);
  if (refusal) return ledgerRefusal(refusal);
  const postedAt = (i: number) => {
    const r = results[i]!;
    return (r.ok ? r.transfer.createdAt : now).toISOString();
  };
  const captured = await repo.resolveHold(tx, hold.id, 'captured', captureMinor);
  await giveBackOutflow(tx, wallet, hold, BigInt(hold.amount_minor) - captureMinor);
  await enqueue(tx, HoldCaptured, holdEvent(captured, now, feeMinor));
  for (const e of captureTransferEvents(hold, wallet, captureMinor, feeMinor, postedAt))
    await enqueue(tx, TransferPosted, e);
  return ok(holdView(captured, feeMinor));
}

export async function voidHold(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof voidHoldCommand>,
): Promise<Outcome<HoldView>> {
  const found = await lockHold(tx, cmd);
  if (!found) return holdNotFound(cmd.holdId);
  const { hold, wallet } = found;
  const notTheirs = mayResolve(cmd.actor, hold);
  if (notTheirs) return notTheirs;
  if (hold.status !== 'open') return alreadyResolved(tx, hold, 'voided');
  const voided = await releaseHold(deps, tx, wallet, hold, 'voided');
  if (!voided.ok) return voided;
  return ok(holdView(voided.value));
}

export async function getHold(
  tx: PoolClient,
  cmd: PayloadOf<typeof getHoldCommand>,
): Promise<Outcome<HoldView>> {
  const hold = await repo.hold(tx, cmd.holdId);
  if (!hold) return holdNotFound(cmd.holdId);
  const w = await repo.byId(tx, hold.wallet_id);
  if (!visibleTo(cmd.actor, w)) return holdNotFound(cmd.holdId);
  return ok(await holdViewOf(tx, hold));
}

/** Voids (or expires) an open hold whose wallet row is locked, giving back its outflow. */
export async function releaseHold(
  deps: WalletDeps,
  tx: PoolClient,
  wallet: WalletRow,
  hold: HoldRow,
  status: 'voided' | 'expired',
): Promise<Outcome<HoldRow>> {
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      type: 'void_pending',
      id: `${holdLedgerId(hold.id)}:${status === 'voided' ? 'void' : 'expire'}`,
      pendingId: holdLedgerId(hold.id),
      code: status === 'voided' ? 'hold-void' : 'hold-expiry',
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const released = await repo.resolveHold(tx, hold.id, status, 0n);
  await giveBackOutflow(tx, wallet, hold, BigInt(hold.amount_minor));
  await enqueue(tx, status === 'voided' ? HoldVoided : HoldExpired, holdEvent(released, deps.clock.now()));
  return ok(released);
}

async function giveBackOutflow(tx: Sql, wallet: WalletRow, hold: HoldRow, minor: bigint): Promise<void> {
  if (minor > 0n) await repo.addOutflow(tx, wallet.id, utcDay(hold.created_at), -minor);
}
