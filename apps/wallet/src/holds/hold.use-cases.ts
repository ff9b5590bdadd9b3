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
import { enqueue } from '@paylend/messaging';
import {
  walletRepository as repo,
  type HoldRow,
  type Sql,
  type WalletRow,
} from '@paylend/wallet-data-access';
import { checkBalanceCap, checkOutflow, utcDay } from '../kyc/limits';
import {
  fail,
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
  walletNotFound,
  type WalletDeps,
} from '../wallet/wallet-core';

export const holdLedgerId = (holdId: string) => `hold:${holdId}`;

export function holdView(h: HoldRow): HoldView {
  return {
    holdId: h.id,
    walletId: h.wallet_id,
    amount: money(BigInt(h.amount_minor), h.currency),
    captured: money(BigInt(h.captured_minor), h.currency),
    status: h.status,
    reference: h.reference,
    expiresAt: h.expires_at?.toISOString() ?? null,
  };
}

function holdEvent(h: HoldRow, at: Date) {
  const v = holdView(h);
  return {
    holdId: v.holdId,
    walletId: v.walletId,
    amount: v.amount,
    captured: v.captured,
    status: v.status,
    reference: v.reference,
    at: at.toISOString(),
  };
}

const holdNotFound = (id: string) => fail('HOLD_NOT_FOUND', `no hold ${id} that you can access`);

/**
 * Reserves money on a wallet for another service (a payment, a loan note): a pending ledger transfer. The
 * amount counts against the wallet's outflow limits now; whatever is released later is given back.
 */
export async function createHold(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof createHoldCommand>,
): Promise<Outcome<HoldView>> {
  const locked = await repo.lock(tx, [cmd.walletId, ...(cmd.toWalletId ? [cmd.toWalletId] : [])]);
  const w = locked.get(cmd.walletId);
  if (!visibleTo(cmd.actor, w)) return walletNotFound(cmd.walletId);
  const existing = await repo.hold(tx, cmd.holdId);
  const amount = parseAmount(cmd.amount, w.currency);
  if (!amount.ok) return amount;
  if (existing) {
    const same =
      existing.wallet_id === w.id &&
      BigInt(existing.amount_minor) === amount.minor &&
      existing.to_wallet_id === (cmd.toWalletId ?? null);
    return same
      ? ok(holdView(existing))
      : fail('ID_CONFLICT', `hold ${cmd.holdId} exists with other details; use a new hold id`);
  }
  const refused = statusRefusal(w, true);
  if (refused) return refused;
  let creditAccount = systemAccountId('clearing', w.currency);
  if (cmd.toWalletId) {
    const to = locked.get(cmd.toWalletId);
    if (!to || to.status === 'closed')
      return fail('RECIPIENT_NOT_FOUND', `no open wallet ${cmd.toWalletId} to capture into`);
    if (to.currency !== w.currency)
      return fail('CURRENCY_MISMATCH', `wallet ${to.id} holds ${to.currency}, not ${w.currency}`);
    if (to.id === w.id) return fail('SAME_WALLET', 'a hold cannot be captured into the wallet it is on');
    creditAccount = to.ledger_account_id;
  }
  const limits = deps.tiers.limits(w.tier, w.currency);
  if (!limits) return fail('TIER_UNKNOWN', `tier ${w.tier} has no limits for ${w.currency}`);
  const today = utcDay(deps.clock.now());
  const out = checkOutflow(limits, await repo.outflowUsage(tx, w.id, today), amount.minor);
  if (out) return limitFailure(out, w);
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      type: 'pending',
      id: holdLedgerId(cmd.holdId),
      debitAccountId: w.ledger_account_id,
      creditAccountId: creditAccount,
      amount: cmd.amount.amount,
      currency: cmd.amount.currency,
      code: 'hold',
      metadata: { reference: cmd.reference ?? null, walletId: w.id },
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const now = deps.clock.now();
  const hold = await repo.insertHold(tx, {
    id: cmd.holdId,
    walletId: w.id,
    toWalletId: cmd.toWalletId ?? null,
    creditAccount,
    currency: w.currency,
    amountMinor: amount.minor,
    reference: cmd.reference ?? null,
    expiresAt: cmd.timeoutSeconds ? new Date(now.getTime() + cmd.timeoutSeconds * 1000) : null,
  });
  await repo.addOutflow(tx, w.id, today, amount.minor);
  await enqueue(tx, HoldCreated, holdEvent(hold, now));
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

function alreadyResolved(hold: HoldRow, wanted: HoldRow['status']): Outcome<HoldView> {
  if (hold.status === wanted) return ok(holdView(hold));
  return fail('HOLD_NOT_OPEN', `hold ${hold.id} is already ${hold.status}`);
}

export async function captureHold(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof captureHoldCommand>,
): Promise<Outcome<HoldView>> {
  const found = await lockHold(tx, cmd);
  if (!found) return holdNotFound(cmd.holdId);
  const { hold, wallet, to } = found;
  if (hold.status !== 'open') return alreadyResolved(hold, 'captured');
  const now = deps.clock.now();
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
  const refused = statusRefusal(wallet, true);
  if (refused) return refused;
  if (to) {
    const toLimits = deps.tiers.limits(to.tier, to.currency);
    if (!toLimits) return fail('TIER_UNKNOWN', `tier ${to.tier} has no limits for ${to.currency}`);
    const cap = checkBalanceCap(toLimits, await postedMinor(tx, to), captureMinor);
    if (cap) return limitFailure(cap, to);
  }
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      type: 'post_pending',
      id: `${holdLedgerId(hold.id)}:capture`,
      pendingId: holdLedgerId(hold.id),
      amount: money(captureMinor, hold.currency).amount,
      code: 'hold-capture',
      metadata: { reference: hold.reference, walletId: wallet.id, toWalletId: hold.to_wallet_id },
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const captured = await repo.resolveHold(tx, hold.id, 'captured', captureMinor);
  await giveBackOutflow(tx, wallet, hold, held - captureMinor);
  await enqueue(tx, HoldCaptured, holdEvent(captured, now));
  await enqueue(tx, TransferPosted, {
    transferId: `${holdLedgerId(hold.id)}:capture`,
    kind: 'hold-capture',
    fromWalletId: wallet.id,
    toWalletId: hold.to_wallet_id,
    amount: money(captureMinor, hold.currency),
    note: hold.reference,
    at: r!.transfer.createdAt.toISOString(),
  });
  return ok(holdView(captured));
}

export async function voidHold(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof voidHoldCommand>,
): Promise<Outcome<HoldView>> {
  const found = await lockHold(tx, cmd);
  if (!found) return holdNotFound(cmd.holdId);
  const { hold, wallet } = found;
  if (hold.status !== 'open') return alreadyResolved(hold, 'voided');
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
  return ok(holdView(hold));
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
