import type { PoolClient } from 'pg';
import { HoldCreated, type HoldView, type PayloadOf, type createHoldCommand } from '@paylend/contracts';
import type { PostResult, TransferInput } from '@paylend/ledger';
import { enqueueMany } from '@paylend/messaging';
import {
  walletBatchRepository as batchRepo,
  walletRepository as repo,
  type HoldRow,
  type WalletRow,
} from '@paylend/wallet-data-access';
import { checkOutflow, utcDay } from '../kyc/limits';
import { PredictionMismatch } from '../wallet/p2p-batch.use-case';
import { ledgerRefusal, limitFailure, ok, type Outcome, type WalletDeps } from '../wallet/wallet-core';
import { createHold, createHoldTerms, holdEvent, holdView, newHoldRow, type NewHold } from './hold.use-cases';

type CreateHold = PayloadOf<typeof createHoldCommand>;

interface Funds {
  available: bigint;
  daily: bigint;
  monthly: bigint;
}

export type Plan =
  | { kind: 'answered'; outcome: Outcome<HoldView> }
  | {
      kind: 'post';
      /** What the ledger is expected to answer: accept (funds available) or refuse (not enough). */
      expectOk: boolean;
      cmd: CreateHold;
      hold: NewHold;
    };

/**
 * The holds of one inbox chunk with a constant number of queries, for the QR payments path where every
 * hold of a chunk points at the same merchant wallet: the chunk's wallets are locked once (id order, as
 * `createHold` locks them), balances, outflow usage and existing holds are read once, each command is
 * judged in input order by `createHold`'s rules against running balances and usage, and every pending
 * transfer is posted in one ledger batch. The ledger still judges each one; an answer this path did not
 * predict (or a replayed ledger transfer, or a hold id twice in the chunk) throws `PredictionMismatch`,
 * and the inbox applies the chunk one command at a time through `createHold`. The holds in `unannounced`
 * get no HoldCreated (see `createHold`).
 */
export async function createHoldMany(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: CreateHold[],
  unannounced: ReadonlySet<string> = new Set(),
): Promise<Array<Outcome<HoldView>>> {
  if (cmds.length === 0) return [];
  if (cmds.length === 1) return [await createHold(deps, tx, cmds[0]!, !unannounced.has(cmds[0]!.holdId))];
  const planned = await planHoldMany(deps, tx, cmds);
  const results = await deps.ledger.postInTransaction(tx, planned.inputs);
  return (await finishHoldMany(tx, planned, results, unannounced)).outcomes;
}

/** A chunk's holds judged against what was locked and read, with the ledger batch that books them. */
export interface PlannedHolds {
  plans: Plan[];
  /** The plans that post, in the order of `inputs`. */
  posts: Array<Extract<Plan, { kind: 'post' }>>;
  inputs: TransferInput[];
  locked: Map<string, WalletRow>;
  /** Posted balance by ledger account of every locked wallet, before the chunk. */
  posted: Map<string, bigint>;
  now: Date;
  today: string;
}

/** `createHoldMany` up to its ledger batch: locks, reads and judges every command (more than one). */
export async function planHoldMany(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: CreateHold[],
): Promise<PlannedHolds> {
  const ids = cmds.map((c) => c.holdId);
  if (new Set(ids).size !== ids.length) throw new PredictionMismatch('a hold id repeats within the chunk');

  const locked = await repo.lock(
    tx,
    cmds.flatMap((c) => [c.walletId, ...(c.toWalletId ? [c.toWalletId] : [])]),
  );
  // One instant for the usage's day and the holds' created_at, which is where a release gives usage back.
  const now = deps.clock.now();
  const today = utcDay(now);
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
    const terms = createHoldTerms(deps, cmd, locked, existing.get(cmd.holdId));
    if ('answer' in terms) return { kind: 'answered', outcome: terms.answer };
    const f = funds.get(terms.wallet.id)!;
    const out = checkOutflow(
      terms.limits,
      { dailyMinor: f.daily, monthlyMinor: f.monthly },
      terms.amountMinor,
    );
    if (out) return { kind: 'answered', outcome: limitFailure(out, terms.wallet) };
    const expectOk = f.available >= terms.amountMinor;
    if (expectOk) {
      f.available -= terms.amountMinor;
      f.daily += terms.amountMinor;
      f.monthly += terms.amountMinor;
    }
    return { kind: 'post', expectOk, cmd, hold: terms };
  });

  const posts = plans.filter((p): p is Extract<Plan, { kind: 'post' }> => p.kind === 'post');
  return {
    plans,
    posts,
    inputs: posts.map((p) => p.hold.input),
    locked,
    posted: postedBalances(locked, balances),
    now,
    today,
  };
}

/** The posted balance of each locked wallet's ledger account (0 for an account with no row yet). */
export function postedBalances(
  wallets: ReadonlyMap<string, WalletRow>,
  balances: ReadonlyMap<string, { posted: bigint }>,
): Map<string, bigint> {
  const posted = new Map<string, bigint>();
  for (const w of wallets.values())
    posted.set(w.ledger_account_id, balances.get(w.ledger_account_id)?.posted ?? 0n);
  return posted;
}

/**
 * `createHoldMany` after its ledger batch: checks the ledger answered as judged, writes the holds it booked
 * (those in `capturedNow`, captured by their own command in the same batch, written captured), their
 * outflow usage and their HoldCreated; answers with the rows written.
 */
export async function finishHoldMany(
  tx: PoolClient,
  planned: PlannedHolds,
  results: PostResult[],
  unannounced: ReadonlySet<string>,
  capturedNow: ReadonlyMap<string, bigint> = new Map(),
): Promise<{ outcomes: Array<Outcome<HoldView>>; rows: Map<string, HoldRow> }> {
  const { plans, posts, now, today } = planned;
  if (results.length !== posts.length)
    throw new PredictionMismatch(`the ledger answered ${results.length} results for ${posts.length} holds`);
  const refusals = new Map<Plan, Outcome<HoldView>>();
  const accepted: typeof posts = [];
  posts.forEach((p, i) => {
    const r = results[i]!;
    if (r.ok !== p.expectOk || (r.ok && r.replayed))
      throw new PredictionMismatch(
        `ledger ${r.ok ? (r.replayed ? 'replayed' : 'accepted') : `refused (${r.code})`} hold ${p.hold.input.id}, predicted otherwise`,
      );
    if (r.ok) accepted.push(p);
    else refusals.set(p, ledgerRefusal(r));
  });

  const rows = await batchRepo.insertHolds(
    tx,
    accepted.map((p) => {
      const capturedMinor = capturedNow.get(p.cmd.holdId);
      const row = newHoldRow(p.cmd, p.hold, now);
      return capturedMinor === undefined ? row : { ...row, captured: { status: 'captured', capturedMinor } };
    }),
  );
  const outflow = new Map<string, bigint>();
  for (const { hold } of accepted)
    outflow.set(hold.wallet.id, (outflow.get(hold.wallet.id) ?? 0n) + hold.amountMinor);
  await batchRepo.addOutflows(tx, today, outflow);
  await enqueueMany(
    tx,
    HoldCreated,
    accepted
      .filter((p) => !unannounced.has(p.cmd.holdId))
      .map((p) => holdEvent(rows.get(p.cmd.holdId)!, now)),
  );
  return {
    outcomes: plans.map((p) => {
      if (p.kind === 'answered') return p.outcome;
      return refusals.get(p) ?? ok(holdView(rows.get(p.cmd.holdId)!));
    }),
    rows,
  };
}
