import type { PoolClient } from 'pg';
import {
  type PayloadOf,
  TransferPosted,
  type TransferView,
  type p2pTransferCommand,
} from '@paylend/contracts';
import { enqueueMany } from '@paylend/messaging';
import type { TransferInput } from '@paylend/ledger';
import {
  walletBatchRepository as batchRepo,
  walletRepository as repo,
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
  statusRefusal,
  visibleTo,
  mayMoveFrom,
  type WalletDeps,
  walletNotFound,
} from './wallet-core';
import { p2pTransfer } from './wallet.use-cases';

type P2p = PayloadOf<typeof p2pTransferCommand>;

interface State {
  wallet: WalletRow;
  posted: bigint;
  available: bigint;
  daily: bigint;
  monthly: bigint;
}

type Plan =
  | { kind: 'refused'; outcome: Outcome<TransferView> }
  | {
      kind: 'post';
      expectOk: boolean | null;
      from: WalletRow;
      to: WalletRow;
      amount: bigint;
      input: TransferInput;
      cmd: P2p;
    };

/** A prediction the ledger did not confirm: the chunk is rolled back and its commands applied one by one. */
export class PredictionMismatch extends Error {}

/**
 * P2P transfers of one inbox chunk with a constant number of queries: lock every wallet involved (id order),
 * read balances, usage and known transfer ids once, decide each command in input order against running
 * balances and limits in memory (the same rules, in the same order, as `p2pTransfer`), post all transfers
 * in one ledger batch, then record usage and events in one statement each. The ledger still judges every
 * transfer; if it disagrees with a prediction, this throws and the inbox applies the commands one by one
 * through `p2pTransfer`.
 */
export async function p2pTransferMany(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: P2p[],
): Promise<Array<Outcome<TransferView>>> {
  if (cmds.length === 1) return [await p2pTransfer(deps, tx, cmds[0]!)];
  const ledgerIds = cmds.map((c) => `p2p:${c.transferId}`);
  if (new Set(ledgerIds).size !== ledgerIds.length)
    throw new PredictionMismatch('a transfer id repeats within the chunk');

  const senders = await batchRepo.byIds(
    tx,
    cmds.map((c) => c.fromWalletId),
  );
  const pairs: Array<[string, string]> = [];
  for (const c of cmds) {
    const from = senders.get(c.fromWalletId);
    if (from) pairs.push([c.toUserId, from.currency]);
  }
  const recipients = await batchRepo.byUsersAndCurrencies(tx, pairs);
  const locked = await repo.lock(tx, [...senders.keys(), ...[...recipients.values()].map((w) => w.id)]);
  const ids = [...locked.keys()];
  const today = utcDay(deps.clock.now());
  const [balances, usage, existing] = [
    await batchRepo.ledgerBalances(
      tx,
      [...locked.values()].map((w) => w.ledger_account_id),
    ),
    await batchRepo.outflowUsage(tx, ids, today),
    await batchRepo.existingTransfers(tx, ledgerIds),
  ];
  const state = new Map<string, State>();
  for (const w of locked.values()) {
    const b = balances.get(w.ledger_account_id) ?? { posted: 0n, held: 0n };
    const u = usage.get(w.id) ?? { dailyMinor: 0n, monthlyMinor: 0n };
    state.set(w.id, {
      wallet: w,
      posted: b.posted,
      available: b.posted - b.held,
      daily: u.dailyMinor,
      monthly: u.monthlyMinor,
    });
  }

  const plans: Plan[] = cmds.map((cmd, i) => {
    const from = locked.get(cmd.fromWalletId);
    if (!visibleTo(cmd.actor, from)) return { kind: 'refused', outcome: walletNotFound(cmd.fromWalletId) };
    const notTheirs = mayMoveFrom(cmd.actor, from);
    if (notTheirs) return { kind: 'refused', outcome: notTheirs };
    const to0 = recipients.get(`${cmd.toUserId}|${from.currency}`);
    if (!to0)
      return {
        kind: 'refused',
        outcome: fail(
          'RECIPIENT_NOT_FOUND',
          `user ${cmd.toUserId} has no ${from.currency} wallet to receive this transfer`,
        ),
      };
    if (to0.id === from.id)
      return {
        kind: 'refused',
        outcome: fail('SAME_WALLET', 'you cannot send money to the wallet it comes from'),
      };
    const to = locked.get(to0.id)!;
    const amount = parseAmount(cmd.amount, from.currency);
    if (!amount.ok) return { kind: 'refused', outcome: amount };
    const input: TransferInput = {
      id: ledgerIds[i]!,
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
    };
    // A replay: the ledger answers with the first result; nothing is checked or counted again.
    if (existing.has(ledgerIds[i]!))
      return { kind: 'post', expectOk: null, from, to, amount: amount.minor, input, cmd };
    const refused =
      statusRefusal(from, true) ??
      (to.status === 'closed' ? fail('WALLET_CLOSED', `the recipient's wallet is closed`) : null);
    if (refused) return { kind: 'refused', outcome: refused };
    const fromLimits = deps.tiers.limits(from.tier, from.currency);
    const toLimits = deps.tiers.limits(to.tier, to.currency);
    if (!fromLimits || !toLimits)
      return {
        kind: 'refused',
        outcome: fail('TIER_UNKNOWN', `a wallet's tier has no limits for ${from.currency}`),
      };
    const s = state.get(from.id)!;
    const r = state.get(to.id)!;
    const out = checkOutflow(fromLimits, { dailyMinor: s.daily, monthlyMinor: s.monthly }, amount.minor);
    if (out) return { kind: 'refused', outcome: limitFailure(out, from) };
    const cap = checkBalanceCap(toLimits, r.posted, amount.minor);
    if (cap) return { kind: 'refused', outcome: limitFailure(cap, to) };
    if (s.available < amount.minor)
      return { kind: 'post', expectOk: false, from, to, amount: amount.minor, input, cmd };
    s.posted -= amount.minor;
    s.available -= amount.minor;
    s.daily += amount.minor;
    s.monthly += amount.minor;
    r.posted += amount.minor;
    r.available += amount.minor;
    return { kind: 'post', expectOk: true, from, to, amount: amount.minor, input, cmd };
  });

  const posts = plans.filter((p): p is Extract<Plan, { kind: 'post' }> => p.kind === 'post');
  const results = await deps.ledger.postInTransaction(
    tx,
    posts.map((p) => p.input),
  );
  const outflow = new Map<string, bigint>();
  const events: Array<PayloadOf<typeof TransferPosted>> = [];
  const byPlan = new Map<Plan, Outcome<TransferView>>();
  posts.forEach((p, i) => {
    const r = results[i]!;
    if (p.expectOk !== null && r.ok !== p.expectOk) {
      throw new PredictionMismatch(
        `ledger ${r.ok ? 'accepted' : `refused (${r.code})`} transfer ${p.input.id}, predicted otherwise`,
      );
    }
    if (!r.ok) {
      byPlan.set(p, ledgerRefusal(r));
      return;
    }
    const note = r.transfer.metadata?.['note'];
    const view: TransferView = {
      transferId: p.cmd.transferId,
      kind: 'p2p',
      fromWalletId: p.from.id,
      toWalletId: p.to.id,
      amount: { amount: r.transfer.amount, currency: r.transfer.currency },
      note: typeof note === 'string' ? note : null,
      replayed: r.replayed,
      postedAt: r.transfer.createdAt.toISOString(),
    };
    byPlan.set(p, ok(view));
    if (!r.replayed) {
      outflow.set(p.from.id, (outflow.get(p.from.id) ?? 0n) + p.amount);
      events.push({
        transferId: view.transferId,
        kind: 'p2p',
        fromWalletId: p.from.id,
        toWalletId: p.to.id,
        amount: money(p.amount, p.from.currency),
        note: view.note,
        at: view.postedAt,
      });
    }
  });
  await batchRepo.addOutflows(tx, today, outflow);
  await enqueueMany(tx, TransferPosted, events);
  return plans.map((p) => (p.kind === 'refused' ? p.outcome : byPlan.get(p)!));
}
