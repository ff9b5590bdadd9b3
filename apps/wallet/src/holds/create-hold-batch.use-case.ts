import type { PoolClient } from 'pg';
import { HoldCreated, type HoldView, type PayloadOf, type createHoldCommand } from '@paylend/contracts';
import type { TransferInput } from '@paylend/ledger';
import { enqueueMany } from '@paylend/messaging';
import {
  walletBatchRepository as batchRepo,
  walletRepository as repo,
  type WalletRow,
} from '@paylend/wallet-data-access';
import { checkOutflow, utcDay } from '../kyc/limits';
import { PredictionMismatch } from '../wallet/p2p-batch.use-case';
import {
  fail,
  ledgerRefusal,
  limitFailure,
  ok,
  type Outcome,
  parseAmount,
  statusRefusal,
  systemAccountId,
  visibleTo,
  walletNotFound,
  type WalletDeps,
} from '../wallet/wallet-core';
import { createHold, holdEvent, holdLedgerId, holdView } from './hold.use-cases';

type CreateHold = PayloadOf<typeof createHoldCommand>;

interface Funds {
  available: bigint;
  daily: bigint;
  monthly: bigint;
}

type Plan =
  | { kind: 'answered'; outcome: Outcome<HoldView> }
  | {
      kind: 'post';
      /** What the ledger is expected to answer: accept (funds available) or refuse (not enough). */
      expectOk: boolean;
      cmd: CreateHold;
      wallet: WalletRow;
      creditAccount: string;
      amountMinor: bigint;
      input: TransferInput;
    };

/**
 * The holds of one inbox chunk with a constant number of queries, for the QR payments path where every
 * hold of a chunk points at the same merchant wallet: the chunk's wallets are locked once (id order, as
 * `createHold` locks them), balances, outflow usage and existing holds are read once, each command is
 * judged in input order by `createHold`'s rules against running balances and usage, and every pending
 * transfer is posted in one ledger batch. The ledger still judges each one; an answer this path did not
 * predict (or a replayed ledger transfer, or a hold id twice in the chunk) throws `PredictionMismatch`,
 * and the inbox applies the chunk one command at a time through `createHold`.
 */
export async function createHoldMany(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: CreateHold[],
): Promise<Array<Outcome<HoldView>>> {
  if (cmds.length === 0) return [];
  if (cmds.length === 1) return [await createHold(deps, tx, cmds[0]!)];
  const ids = cmds.map((c) => c.holdId);
  if (new Set(ids).size !== ids.length) throw new PredictionMismatch('a hold id repeats within the chunk');

  const locked = await repo.lock(
    tx,
    cmds.flatMap((c) => [c.walletId, ...(c.toWalletId ? [c.toWalletId] : [])]),
  );
  const today = utcDay(deps.clock.now());
  const [existing, balances, usage] = [
    await batchRepo.holds(tx, ids),
    await batchRepo.ledgerBalances(
      tx,
      [...locked.values()].map((w) => w.ledger_account_id),
    ),
    await batchRepo.outflowUsage(tx, [...locked.keys()], today),
  ];
  const funds = new Map<string, Funds>();
  for (const w of locked.values()) {
    const b = balances.get(w.ledger_account_id) ?? { posted: 0n, held: 0n };
    const u = usage.get(w.id) ?? { dailyMinor: 0n, monthlyMinor: 0n };
    funds.set(w.id, { available: b.posted - b.held, daily: u.dailyMinor, monthly: u.monthlyMinor });
  }

  const plans = cmds.map((cmd): Plan => {
    const answered = (outcome: Outcome<HoldView>): Plan => ({ kind: 'answered', outcome });
    const w = locked.get(cmd.walletId);
    if (!visibleTo(cmd.actor, w)) return answered(walletNotFound(cmd.walletId));
    const amount = parseAmount(cmd.amount, w.currency);
    if (!amount.ok) return answered(amount);
    const known = existing.get(cmd.holdId);
    if (known) {
      const same =
        known.wallet_id === w.id &&
        BigInt(known.amount_minor) === amount.minor &&
        known.to_wallet_id === (cmd.toWalletId ?? null);
      return answered(
        same
          ? ok(holdView(known))
          : fail('ID_CONFLICT', `hold ${cmd.holdId} exists with other details; use a new hold id`),
      );
    }
    const refused = statusRefusal(w, true);
    if (refused) return answered(refused);
    let creditAccount = systemAccountId('clearing', w.currency);
    if (cmd.toWalletId) {
      const to = locked.get(cmd.toWalletId);
      if (!to || to.status === 'closed')
        return answered(fail('RECIPIENT_NOT_FOUND', `no open wallet ${cmd.toWalletId} to capture into`));
      if (to.currency !== w.currency)
        return answered(fail('CURRENCY_MISMATCH', `wallet ${to.id} holds ${to.currency}, not ${w.currency}`));
      if (to.id === w.id)
        return answered(fail('SAME_WALLET', 'a hold cannot be captured into the wallet it is on'));
      creditAccount = to.ledger_account_id;
    }
    const limits = deps.tiers.limits(w.tier, w.currency);
    if (!limits) return answered(fail('TIER_UNKNOWN', `tier ${w.tier} has no limits for ${w.currency}`));
    const f = funds.get(w.id)!;
    const out = checkOutflow(limits, { dailyMinor: f.daily, monthlyMinor: f.monthly }, amount.minor);
    if (out) return answered(limitFailure(out, w));
    const input: TransferInput = {
      type: 'pending',
      id: holdLedgerId(cmd.holdId),
      debitAccountId: w.ledger_account_id,
      creditAccountId: creditAccount,
      amount: cmd.amount.amount,
      currency: cmd.amount.currency,
      code: 'hold',
      metadata: { reference: cmd.reference ?? null, walletId: w.id },
    };
    const expectOk = f.available >= amount.minor;
    if (expectOk) {
      f.available -= amount.minor;
      f.daily += amount.minor;
      f.monthly += amount.minor;
    }
    return { kind: 'post', expectOk, cmd, wallet: w, creditAccount, amountMinor: amount.minor, input };
  });

  const posts = plans.filter((p): p is Extract<Plan, { kind: 'post' }> => p.kind === 'post');
  const results = await deps.ledger.postInTransaction(
    tx,
    posts.map((p) => p.input),
  );
  const refusals = new Map<Plan, Outcome<HoldView>>();
  const accepted: typeof posts = [];
  posts.forEach((p, i) => {
    const r = results[i]!;
    if (r.ok !== p.expectOk || (r.ok && r.replayed))
      throw new PredictionMismatch(
        `ledger ${r.ok ? (r.replayed ? 'replayed' : 'accepted') : `refused (${r.code})`} hold ${p.input.id}, predicted otherwise`,
      );
    if (r.ok) accepted.push(p);
    else refusals.set(p, ledgerRefusal(r));
  });

  const now = deps.clock.now();
  const rows = await batchRepo.insertHolds(
    tx,
    accepted.map((p) => ({
      id: p.cmd.holdId,
      walletId: p.wallet.id,
      toWalletId: p.cmd.toWalletId ?? null,
      creditAccount: p.creditAccount,
      currency: p.wallet.currency,
      amountMinor: p.amountMinor,
      reference: p.cmd.reference ?? null,
      expiresAt: p.cmd.timeoutSeconds ? new Date(now.getTime() + p.cmd.timeoutSeconds * 1000) : null,
    })),
  );
  const outflow = new Map<string, bigint>();
  for (const p of accepted) outflow.set(p.wallet.id, (outflow.get(p.wallet.id) ?? 0n) + p.amountMinor);
  await batchRepo.addOutflows(tx, today, outflow);
  await enqueueMany(
    tx,
    HoldCreated,
    accepted.map((p) => holdEvent(rows.get(p.cmd.holdId)!, now)),
  );
  return plans.map((p) => {
    if (p.kind === 'answered') return p.outcome;
    return refusals.get(p) ?? ok(holdView(rows.get(p.cmd.holdId)!));
  });
}
