import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import {
  type PayloadOf,
  TransferPosted,
  type TransferView,
  WalletOpened,
  type WalletView,
  type getWalletsCommand,
  type openWalletCommand,
  type p2pTransferCommand,
  type topUpCommand,
} from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import type { Transfer } from '@paylend/ledger';
import { ledgerReads, walletRepository as repo } from '@paylend/wallet-data-access';
import { checkBalanceCap, checkOutflow, utcDay } from '../kyc/limits';
import {
  fail,
  isPrivileged,
  mayMoveFrom,
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
  walletAccountId,
  type WalletDeps,
  walletNotFound,
  walletView,
} from './wallet-core';

/** One wallet per user and currency, so its id is derived from both: a retried open lands on the same ids. */
export function walletIdFor(userId: string, currency: string): string {
  return `w_${createHash('sha256').update(`${userId}\u0000${currency}`).digest('hex').slice(0, 24)}`;
}

export async function openWallet(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof openWalletCommand>,
): Promise<Outcome<WalletView & { created: boolean }>> {
  if (!isPrivileged(cmd.actor) && cmd.actor.userId !== cmd.userId) {
    return fail('FORBIDDEN', 'you can only open wallets for yourself');
  }
  if (!deps.tiers.currencies.includes(cmd.currency)) {
    return fail(
      'CURRENCY_UNSUPPORTED',
      `wallets are offered in ${deps.tiers.currencies.join(', ')}, not ${cmd.currency}`,
    );
  }
  const merchant = cmd.kind === 'merchant';
  if (merchant && !isPrivileged(cmd.actor)) {
    return fail('FORBIDDEN', 'merchant wallets are opened by the payments service at merchant onboarding');
  }
  const merchantTier = deps.tiers.merchantTier;
  if (merchant && merchantTier === null) {
    return fail(
      'TIER_UNKNOWN',
      'the KYC tier configuration has no merchant tier to open a merchant wallet on',
    );
  }
  const id = walletIdFor(cmd.userId, cmd.currency);
  const accountId = walletAccountId(id);
  // Idempotent by id, so creating it before this transaction commits is safe if the command is retried.
  const [acc] = await deps.ledger.createAccounts([
    {
      id: accountId,
      currency: cmd.currency,
      normalSide: 'credit',
      ownerRef: id,
      flags: { debitsMustNotExceedCredits: true },
    },
  ]);
  if (!acc?.ok)
    throw new Error(`ledger account ${accountId} could not be created: ${acc?.message ?? 'no result'}`);
  const inserted = await repo.insertWallet(tx, {
    id,
    userId: cmd.userId,
    currency: cmd.currency,
    ledgerAccountId: accountId,
  });
  let row = inserted ?? (await repo.byUserAndCurrency(tx, cmd.userId, cmd.currency));
  if (!row) throw new Error(`wallet ${id} neither inserted nor found`);
  // A new wallet starts on tier 0; a merchant's starts (in the same transaction) on the merchant tier, so
  // its takings are never measured against a consumer's caps. An existing wallet keeps its tier: changing
  // that is an operator's audited set-wallet-tier.
  if (inserted && merchant) {
    await repo.setTier(tx, row.id, merchantTier!);
    row = { ...row, tier: merchantTier! };
  }
  if (inserted) {
    await enqueue(tx, WalletOpened, {
      walletId: row.id,
      userId: row.user_id,
      currency: row.currency,
      tier: row.tier,
      at: row.created_at.toISOString(),
    });
  }
  return ok({ ...(await walletView(deps, row)), created: inserted !== null });
}

export async function getWallets(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof getWalletsCommand>,
): Promise<Outcome<WalletView[]>> {
  if (cmd.walletId !== undefined) {
    const w = await repo.byId(tx, cmd.walletId);
    if (!visibleTo(cmd.actor, w)) return walletNotFound(cmd.walletId);
    return ok([await walletView(deps, w)]);
  }
  const userId = cmd.userId!;
  if (!isPrivileged(cmd.actor) && userId !== cmd.actor.userId)
    return fail('FORBIDDEN', 'you can only list your own wallets');
  const rows = await repo.byUser(tx, userId);
  return ok(await Promise.all(rows.map((w) => walletView(deps, w))));
}

function transferView(
  t: Transfer,
  kind: 'top-up' | 'p2p',
  fromWalletId: string | null,
  toWalletId: string,
  id: string,
  replayed: boolean,
): TransferView {
  const note = t.metadata?.['note'];
  return {
    transferId: id,
    kind,
    fromWalletId,
    toWalletId,
    amount: { amount: t.amount, currency: t.currency },
    note: typeof note === 'string' ? note : null,
    replayed,
    postedAt: t.createdAt.toISOString(),
  };
}

/**
 * Cash-in from an external bank or agent, reported by that participant's integration (a service) or an
 * operator: never by the wallet's owner, who could otherwise credit money nobody deposited. The ledger
 * transfer id is the participant's deposit reference, so the same deposit reported twice is credited once.
 */
export async function topUp(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof topUpCommand>,
): Promise<Outcome<TransferView>> {
  const wallets = await repo.lock(tx, [cmd.walletId]);
  const w = wallets.get(cmd.walletId);
  if (!visibleTo(cmd.actor, w)) return walletNotFound(cmd.walletId);
  const amount = parseAmount(cmd.amount, w.currency);
  if (!amount.ok) return amount;
  if (!isPrivileged(cmd.actor))
    return fail(
      'FORBIDDEN',
      'a deposit is reported by the bank or agent that took it (its integration, or an operator), not by the wallet owner',
    );
  const ledgerId = `topup:${cmd.participant}:${cmd.depositReference}`;
  const replay = await ledgerReads.transferExists(tx, ledgerId);
  if (!replay) {
    const refused = statusRefusal(w, false);
    if (refused) return refused;
    const limits = deps.tiers.limits(w.tier, w.currency);
    if (!limits) return fail('TIER_UNKNOWN', `tier ${w.tier} has no limits for ${w.currency}`);
    const cap = checkBalanceCap(limits, await postedMinor(tx, w), amount.minor);
    if (cap) return limitFailure(cap, w);
  }
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      id: ledgerId,
      debitAccountId: systemAccountId('cash-in', w.currency),
      creditAccountId: w.ledger_account_id,
      amount: cmd.amount.amount,
      currency: cmd.amount.currency,
      code: 'top-up',
      metadata: { participant: cmd.participant, depositReference: cmd.depositReference, toWalletId: w.id },
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const view = transferView(r!.transfer, 'top-up', null, w.id, ledgerId, r!.replayed);
  if (!r!.replayed) {
    await enqueue(tx, TransferPosted, {
      transferId: view.transferId,
      kind: 'top-up',
      fromWalletId: null,
      toWalletId: w.id,
      amount: money(amount.minor, w.currency),
      note: null,
      at: view.postedAt,
    });
  }
  return ok(view);
}

/**
 * Sends money to another user's wallet in the same currency. Limits are checked under both wallets' row
 * locks and the usage is recorded in the transaction that posts, so concurrent sends cannot overshoot.
 */
export async function p2pTransfer(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof p2pTransferCommand>,
): Promise<Outcome<TransferView>> {
  const from0 = await repo.byId(tx, cmd.fromWalletId);
  if (!visibleTo(cmd.actor, from0)) return walletNotFound(cmd.fromWalletId);
  const notTheirs = mayMoveFrom(cmd.actor, from0);
  if (notTheirs) return notTheirs;
  const to0 = await repo.byUserAndCurrency(tx, cmd.toUserId, from0.currency);
  if (!to0) {
    return fail(
      'RECIPIENT_NOT_FOUND',
      `user ${cmd.toUserId} has no ${from0.currency} wallet to receive this transfer`,
    );
  }
  if (to0.id === from0.id) return fail('SAME_WALLET', 'you cannot send money to the wallet it comes from');
  const locked = await repo.lock(tx, [from0.id, to0.id]);
  const from = locked.get(from0.id)!;
  const to = locked.get(to0.id)!;
  const amount = parseAmount(cmd.amount, from.currency);
  if (!amount.ok) return amount;
  const ledgerId = `p2p:${cmd.transferId}`;
  const replay = await ledgerReads.transferExists(tx, ledgerId);
  const today = utcDay(deps.clock.now());
  if (!replay) {
    const refused =
      statusRefusal(from, true) ??
      (to.status === 'closed' ? fail('WALLET_CLOSED', `the recipient's wallet is closed`) : null);
    if (refused) return refused;
    const fromLimits = deps.tiers.limits(from.tier, from.currency);
    const toLimits = deps.tiers.limits(to.tier, to.currency);
    if (!fromLimits || !toLimits)
      return fail('TIER_UNKNOWN', `a wallet's tier has no limits for ${from.currency}`);
    const out = checkOutflow(fromLimits, await repo.outflowUsage(tx, from.id, today), amount.minor);
    if (out) return limitFailure(out, from);
    const cap = checkBalanceCap(toLimits, await postedMinor(tx, to), amount.minor);
    if (cap) return limitFailure(cap, to);
  }
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      id: ledgerId,
      debitAccountId: from.ledger_account_id,
      creditAccountId: to.ledger_account_id,
      amount: cmd.amount.amount,
      currency: cmd.amount.currency,
      code: 'p2p',
      metadata: {
        note: cmd.note ?? null,
        fromUserId: from.user_id,
        toUserId: to.user_id,
        fromWalletId: from.id,
        toWalletId: to.id,
      },
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const view = transferView(r!.transfer, 'p2p', from.id, to.id, cmd.transferId, r!.replayed);
  if (!r!.replayed) {
    await repo.addOutflow(tx, from.id, today, amount.minor);
    await enqueue(tx, TransferPosted, {
      transferId: view.transferId,
      kind: 'p2p',
      fromWalletId: from.id,
      toWalletId: to.id,
      amount: money(amount.minor, from.currency),
      note: view.note,
      at: view.postedAt,
    });
  }
  return ok(view);
}
