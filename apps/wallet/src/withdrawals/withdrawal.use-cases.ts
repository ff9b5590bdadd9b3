import type { PoolClient } from 'pg';
import {
  type PayloadOf,
  TransferPosted,
  WithdrawalCompleted,
  WithdrawalFailed,
  WithdrawalRequested,
  type WithdrawalView,
  type requestWithdrawalCommand,
  type settleWithdrawalCommand,
} from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import { walletRepository as repo, type WalletRow, type WithdrawalRow } from '@paylend/wallet-data-access';
import { checkOutflow, utcDay } from '../kyc/limits';
import {
  fail,
  isPrivileged,
  ledgerRefusal,
  limitFailure,
  money,
  ok,
  type Outcome,
  parseAmount,
  statusRefusal,
  systemAccountId,
  visibleTo,
  mayMoveFrom,
  walletNotFound,
  type WalletDeps,
} from '../wallet/wallet-core';

const ledgerId = (withdrawalId: string) => `wd:${withdrawalId}`;

export function withdrawalView(w: WithdrawalRow): WithdrawalView {
  return {
    withdrawalId: w.id,
    walletId: w.wallet_id,
    amount: money(BigInt(w.amount_minor), w.currency),
    bankAccount: w.bank_account,
    status: w.status,
    bankReference: w.bank_reference,
    failureReason: w.failure_reason,
    expiresAt: w.expires_at.toISOString(),
  };
}

function withdrawalEvent(w: WithdrawalRow, at: Date) {
  return {
    withdrawalId: w.id,
    walletId: w.wallet_id,
    amount: money(BigInt(w.amount_minor), w.currency),
    bankAccount: w.bank_account,
    bankReference: w.bank_reference,
    reason: w.failure_reason,
    at: at.toISOString(),
  };
}

/** Cash-out: the amount is held now and posted when the bank confirms, or released when it fails or times out. */
export async function requestWithdrawal(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof requestWithdrawalCommand>,
): Promise<Outcome<WithdrawalView>> {
  const w = (await repo.lock(tx, [cmd.walletId])).get(cmd.walletId);
  if (!visibleTo(cmd.actor, w)) return walletNotFound(cmd.walletId);
  const notTheirs = mayMoveFrom(cmd.actor, w);
  if (notTheirs) return notTheirs;
  const amount = parseAmount(cmd.amount, w.currency);
  if (!amount.ok) return amount;
  const existing = await repo.withdrawal(tx, cmd.withdrawalId);
  if (existing) {
    const same =
      existing.wallet_id === w.id &&
      BigInt(existing.amount_minor) === amount.minor &&
      existing.bank_account === cmd.bankAccount;
    return same
      ? ok(withdrawalView(existing))
      : fail('ID_CONFLICT', `withdrawal ${cmd.withdrawalId} exists with other details`);
  }
  const refused = statusRefusal(w, true);
  if (refused) return refused;
  const limits = deps.tiers.limits(w.tier, w.currency);
  if (!limits) return fail('TIER_UNKNOWN', `tier ${w.tier} has no limits for ${w.currency}`);
  const now = deps.clock.now();
  const today = utcDay(now);
  const out = checkOutflow(limits, await repo.outflowUsage(tx, w.id, today), amount.minor);
  if (out) return limitFailure(out, w);
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      type: 'pending',
      id: ledgerId(cmd.withdrawalId),
      debitAccountId: w.ledger_account_id,
      creditAccountId: systemAccountId('cash-out', w.currency),
      amount: cmd.amount.amount,
      currency: cmd.amount.currency,
      code: 'withdrawal',
      metadata: { bankAccount: cmd.bankAccount, walletId: w.id },
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const row = await repo.insertWithdrawal(tx, {
    id: cmd.withdrawalId,
    walletId: w.id,
    currency: w.currency,
    amountMinor: amount.minor,
    bankAccount: cmd.bankAccount,
    expiresAt: new Date(now.getTime() + deps.withdrawalTimeoutSeconds * 1000),
    createdAt: now,
  });
  await repo.addOutflow(tx, w.id, today, amount.minor);
  await enqueue(tx, WithdrawalRequested, withdrawalEvent(row, now));
  return ok(withdrawalView(row));
}

/** The bank's answer (through an operator or the bank integration): confirmed posts the hold, failed voids it. */
export async function settleWithdrawal(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof settleWithdrawalCommand>,
): Promise<Outcome<WithdrawalView>> {
  if (!isPrivileged(cmd.actor))
    return fail('FORBIDDEN', 'only an operator or the bank integration can settle a withdrawal');
  const peek = await repo.withdrawal(tx, cmd.withdrawalId);
  if (!peek) return fail('WITHDRAWAL_NOT_FOUND', `no withdrawal ${cmd.withdrawalId}`);
  const wallet = (await repo.lock(tx, [peek.wallet_id])).get(peek.wallet_id)!;
  const wd = (await repo.withdrawal(tx, cmd.withdrawalId, true))!;
  const wanted = cmd.outcome === 'confirmed' ? 'completed' : 'failed';
  if (wd.status !== 'pending') {
    return wd.status === wanted
      ? ok(withdrawalView(wd))
      : fail('WITHDRAWAL_NOT_PENDING', `withdrawal ${wd.id} is already ${wd.status}`);
  }
  if (cmd.outcome === 'failed') {
    const failed = await failWithdrawal(deps, tx, wallet, wd, cmd.reason ?? 'the bank refused the payout');
    return failed.ok ? ok(withdrawalView(failed.value)) : failed;
  }
  // The money has left at the bank: posting is allowed even if the wallet was frozen meanwhile.
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      type: 'post_pending',
      id: `${ledgerId(wd.id)}:post`,
      pendingId: ledgerId(wd.id),
      code: 'withdrawal',
      metadata: { bankReference: cmd.bankReference ?? null },
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const done = await repo.resolveWithdrawal(tx, wd.id, 'completed', cmd.bankReference ?? null, null);
  const now = deps.clock.now();
  await enqueue(tx, WithdrawalCompleted, withdrawalEvent(done, now));
  await enqueue(tx, TransferPosted, {
    transferId: `${ledgerId(wd.id)}:post`,
    kind: 'withdrawal',
    fromWalletId: wallet.id,
    toWalletId: null,
    amount: money(BigInt(done.amount_minor), done.currency),
    note: null,
    at: r!.transfer.createdAt.toISOString(),
  });
  return ok(withdrawalView(done));
}

/** Voids a pending withdrawal's hold (bank failure or timeout) and gives its outflow back. */
export async function failWithdrawal(
  deps: WalletDeps,
  tx: PoolClient,
  wallet: WalletRow,
  wd: WithdrawalRow,
  reason: string,
): Promise<Outcome<WithdrawalRow>> {
  const [r] = await deps.ledger.postInTransaction(tx, [
    {
      type: 'void_pending',
      id: `${ledgerId(wd.id)}:void`,
      pendingId: ledgerId(wd.id),
      code: 'withdrawal-void',
      metadata: { reason },
    },
  ]);
  if (!r!.ok) return ledgerRefusal(r!);
  const failed = await repo.resolveWithdrawal(tx, wd.id, 'failed', null, reason);
  await repo.addOutflow(tx, wallet.id, utcDay(wd.created_at), -BigInt(wd.amount_minor));
  await enqueue(tx, WithdrawalFailed, withdrawalEvent(failed, deps.clock.now()));
  return ok(failed);
}
