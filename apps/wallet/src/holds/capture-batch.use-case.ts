import type { PoolClient } from 'pg';
import {
  HoldCaptured,
  type HoldView,
  type PayloadOf,
  TransferPosted,
  type captureHoldCommand,
} from '@paylend/contracts';
import type { PostResult, TransferInput } from '@paylend/ledger';
import { enqueueAll, outboxBatch } from '@paylend/messaging';
import {
  walletBatchRepository as batchRepo,
  walletRepository as repo,
  type HoldRow,
  type WalletRow,
} from '@paylend/wallet-data-access';
import { checkBalanceCap, utcDay } from '../kyc/limits';
import { PredictionMismatch } from '../wallet/p2p-batch.use-case';
import { postedBalances } from './create-hold-batch.use-case';
import {
  fail,
  limitFailure,
  ok,
  type Outcome,
  statusRefusal,
  visibleTo,
  mayResolve,
  type WalletDeps,
} from '../wallet/wallet-core';
import {
  captureChain,
  captureHold,
  captureTerms,
  captureTransferEvents,
  holdEvent,
  holdFeeLedgerId,
  holdNotFound,
  holdView,
} from './hold.use-cases';

type Capture = PayloadOf<typeof captureHoldCommand>;

interface Booking {
  hold: HoldRow;
  wallet: WalletRow;
  captureMinor: bigint;
  feeMinor: bigint;
  now: Date;
  /** Where this capture's chain starts in the one ledger batch, and how many transfers it has. */
  first: number;
  size: number;
}

type Plan = { kind: 'answered'; outcome: Outcome<HoldView> } | { kind: 'book'; booking: Booking };

/**
 * What judging a chunk's new holds locked and read, for judging their captures in the same transaction:
 * the hold rows about to be written (new in this transaction, so no other can see or lock them), the
 * wallets locked (every payer and receiver) and their posted balances (a hold moves only pending amounts,
 * so these stay current).
 */
export interface JustHeld {
  holds: ReadonlyMap<string, HoldRow>;
  wallets: ReadonlyMap<string, WalletRow>;
  posted: ReadonlyMap<string, bigint>;
}

interface CaptureState {
  /** The holds as any actor finds them (before the visibility check), and as locked for the capture. */
  peeked: ReadonlyMap<string, HoldRow>;
  holds: ReadonlyMap<string, HoldRow>;
  wallets: ReadonlyMap<string, WalletRow>;
  /** Posted balance by ledger account, kept running as the chunk's captures are decided. */
  posted: Map<string, bigint>;
}

function fromJustHeld(j: JustHeld, ids: string[]): CaptureState {
  const holds = new Map<string, HoldRow>();
  for (const id of ids) {
    const h = j.holds.get(id);
    if (!h) throw new PredictionMismatch(`hold ${id} was not created by this chunk`);
    holds.set(id, h);
  }
  for (const h of holds.values())
    for (const w of [h.wallet_id, h.to_wallet_id])
      if (w && !j.wallets.has(w)) throw new PredictionMismatch(`wallet ${w} was not locked by this chunk`);
  return { peeked: holds, holds, wallets: j.wallets, posted: new Map(j.posted) };
}

/** The same locks as `lockHold`, in the same order: wallet rows (id order), then the holds one may see. */
async function lockForCapture(tx: PoolClient, cmds: Capture[], ids: string[]): Promise<CaptureState> {
  const peeked = await batchRepo.holds(tx, ids);
  const walletIds = [...peeked.values()].flatMap((h) => [
    h.wallet_id,
    ...(h.to_wallet_id ? [h.to_wallet_id] : []),
  ]);
  const wallets = walletIds.length > 0 ? await repo.lock(tx, walletIds) : new Map<string, WalletRow>();
  const visible = cmds.filter((c) => {
    const peek = peeked.get(c.holdId);
    return !!peek && visibleTo(c.actor, wallets.get(peek.wallet_id));
  });
  const holds =
    visible.length > 0
      ? await batchRepo.holds(
          tx,
          visible.map((c) => c.holdId),
          true,
        )
      : new Map<string, HoldRow>();
  const balances =
    wallets.size > 0
      ? await batchRepo.ledgerBalances(
          tx,
          [...wallets.values()].map((w) => w.ledger_account_id),
        )
      : new Map<string, { posted: bigint; held: bigint }>();
  return { peeked, holds, wallets, posted: postedBalances(wallets, balances) };
}

/**
 * The captures of one inbox chunk with a constant number of queries, for the QR payments path where every
 * capture lands in the same merchant wallet: the wallets and holds of the whole chunk are locked once, each
 * command is judged in input order by `captureHold`'s rules (`captureTerms`, status, tier, balance cap on
 * running balances), and every capture chain is posted in one ledger batch, so the merchant's locks are
 * taken once per chunk instead of once per capture. Everything this path does not decide exactly as
 * `captureHold` would (a hold twice in the chunk, a chain the ledger refuses or replays, a hold without its
 * receiving wallet) throws `PredictionMismatch`, and the inbox applies the chunk one command at a time.
 */
export async function captureHoldMany(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: Capture[],
): Promise<Array<Outcome<HoldView>>> {
  if (cmds.length === 1) return [await captureHold(deps, tx, cmds[0]!)];
  if (cmds.length === 0) return [];
  const planned = await planCaptureMany(deps, tx, cmds);
  const results = planned.inputs.length > 0 ? await deps.ledger.postInTransaction(tx, planned.inputs) : [];
  return finishCaptureMany(tx, planned, results);
}

/** A chunk's captures judged against what was locked and read, with the ledger batch that books them. */
export interface PlannedCaptures {
  plans: Plan[];
  inputs: TransferInput[];
}

/** `captureHoldMany` up to its ledger batch: locks (or takes `justHeld`), reads and judges every command. */
export async function planCaptureMany(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: Capture[],
  justHeld?: JustHeld,
): Promise<PlannedCaptures> {
  const ids = cmds.map((c) => c.holdId);
  if (new Set(ids).size !== ids.length) throw new PredictionMismatch('a hold id repeats within the chunk');
  const { peeked, wallets, holds, posted } = justHeld
    ? fromJustHeld(justHeld, ids)
    : await lockForCapture(tx, cmds, ids);
  const capturedBefore = [...holds.values()].filter((h) => h.status === 'captured');
  const fees = await batchRepo.transferAmounts(
    tx,
    capturedBefore.map((h) => holdFeeLedgerId(h.id)),
  );

  const inputs: TransferInput[] = [];
  const plans: Plan[] = cmds.map((cmd): Plan => {
    const answer = (outcome: Outcome<HoldView>): Plan => ({ kind: 'answered', outcome });
    const peek = peeked.get(cmd.holdId);
    if (!peek) return answer(holdNotFound(cmd.holdId));
    const wallet = wallets.get(peek.wallet_id);
    if (!visibleTo(cmd.actor, wallet)) return answer(holdNotFound(cmd.holdId));
    const hold = holds.get(cmd.holdId);
    if (!hold) throw new PredictionMismatch(`hold ${cmd.holdId} vanished between its peek and its lock`);
    const notTheirs = mayResolve(cmd.actor, hold);
    if (notTheirs) return answer(notTheirs);
    const to = hold.to_wallet_id ? (wallets.get(hold.to_wallet_id) ?? null) : null;
    if (hold.status !== 'open')
      return answer(
        hold.status === 'captured'
          ? ok(holdView(hold, fees.get(holdFeeLedgerId(hold.id)) ?? 0n))
          : fail('HOLD_NOT_OPEN', `hold ${hold.id} is already ${hold.status}`),
      );
    const now = deps.clock.now();
    const terms = captureTerms(cmd, hold, now);
    if (!terms.ok) return answer(terms);
    const { captureMinor, feeMinor } = terms;
    const refused = statusRefusal(wallet, true);
    if (refused) return answer(refused);
    if (to) {
      const toLimits = deps.tiers.limits(to.tier, to.currency);
      if (!toLimits) return answer(fail('TIER_UNKNOWN', `tier ${to.tier} has no limits for ${to.currency}`));
      const cap = checkBalanceCap(toLimits, posted.get(to.ledger_account_id)!, captureMinor - feeMinor);
      if (cap) return answer(limitFailure(cap, to));
    } else if (hold.to_wallet_id) {
      throw new PredictionMismatch(
        `hold ${hold.id} captures into wallet ${hold.to_wallet_id}, which is missing`,
      );
    }
    // Predicted booked: the ledger must confirm it below, or the chunk goes one by one.
    posted.set(wallet.ledger_account_id, posted.get(wallet.ledger_account_id)! - captureMinor);
    if (to) posted.set(to.ledger_account_id, posted.get(to.ledger_account_id)! + captureMinor - feeMinor);
    const chain = captureChain(hold, wallet, to, captureMinor, feeMinor);
    const booking = { hold, wallet, captureMinor, feeMinor, now, first: inputs.length, size: chain.length };
    inputs.push(...chain);
    return { kind: 'book', booking };
  });

  return { plans, inputs };
}

/** The amount each capture the chunk books takes, by hold id. */
export function capturesBooked(planned: PlannedCaptures): Map<string, bigint> {
  return new Map(
    planned.plans.flatMap((p) =>
      p.kind === 'book' ? [[p.booking.hold.id, p.booking.captureMinor] as const] : [],
    ),
  );
}

/**
 * `captureHoldMany` after its ledger batch: checks every chain was booked as judged, then marks the holds
 * captured (unless they were `written` captured already, see `capturesBooked`), gives back unused outflow
 * usage and announces HoldCaptured with the chains' TransferPosted.
 */
export async function finishCaptureMany(
  tx: PoolClient,
  planned: PlannedCaptures,
  results: PostResult[],
  written?: ReadonlyMap<string, HoldRow>,
): Promise<Array<Outcome<HoldView>>> {
  const { plans, inputs } = planned;
  const bookings = plans.flatMap((p) => (p.kind === 'book' ? [p.booking] : []));
  if (results.length !== inputs.length)
    throw new PredictionMismatch(
      `the ledger answered ${results.length} results for ${inputs.length} transfers`,
    );
  results.forEach((r, i) => {
    if (!r.ok) throw new PredictionMismatch(`ledger refused ${inputs[i]!.id} (${r.code}), predicted booked`);
    if (r.replayed)
      throw new PredictionMismatch(`ledger replayed ${inputs[i]!.id}, predicted a new transfer`);
  });

  const captured =
    written ??
    (await batchRepo.resolveHolds(
      tx,
      'captured',
      bookings.map((b) => ({ id: b.hold.id, capturedMinor: b.captureMinor })),
    ));
  for (const b of bookings) {
    const row = captured.get(b.hold.id);
    if (row && (row.status !== 'captured' || BigInt(row.captured_minor) !== b.captureMinor))
      throw new PredictionMismatch(`hold ${b.hold.id} was written ${row.status}, not captured as booked`);
  }
  const back = new Map<string, { walletId: string; day: string; minor: bigint }>();
  for (const b of bookings) {
    const minor = BigInt(b.hold.amount_minor) - b.captureMinor;
    if (minor <= 0n) continue;
    const day = utcDay(b.hold.created_at);
    const key = `${b.wallet.id}|${day}`;
    const prior = back.get(key);
    back.set(key, { walletId: b.wallet.id, day, minor: (prior?.minor ?? 0n) + minor });
  }
  await batchRepo.giveBackOutflows(tx, [...back.values()]);
  const rowOf = (b: Booking) => {
    const row = captured.get(b.hold.id);
    if (!row) throw new PredictionMismatch(`hold ${b.hold.id} was not resolved`);
    return row;
  };
  await enqueueAll(tx, [
    outboxBatch(
      HoldCaptured,
      bookings.map((b) => holdEvent(rowOf(b), b.now, b.feeMinor)),
    ),
    outboxBatch(
      TransferPosted,
      bookings.flatMap((b) =>
        captureTransferEvents(b.hold, b.wallet, b.captureMinor, b.feeMinor, (i) => {
          const r = results[b.first + i]!;
          return (r.ok ? r.transfer.createdAt : b.now).toISOString();
        }),
      ),
    ),
  ]);
  return plans.map((p) =>
    p.kind === 'answered' ? p.outcome : ok(holdView(rowOf(p.booking), p.booking.feeMinor)),
  );
}
