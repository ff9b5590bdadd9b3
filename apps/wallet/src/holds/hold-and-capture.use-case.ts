import type { PoolClient } from 'pg';
import type { HoldView, PayloadOf, createHoldCommand } from '@paylend/contracts';
import type { HoldRow, NewHoldRow } from '@paylend/wallet-data-access';
import { PredictionMismatch } from '../wallet/p2p-batch.use-case';
import { fail, type Outcome, type WalletDeps } from '../wallet/wallet-core';
import {
  captureHoldMany,
  capturesBooked,
  finishCaptureMany,
  planCaptureMany,
} from './capture-batch.use-case';
import { finishHoldMany, planHoldMany, type PlannedHolds } from './create-hold-batch.use-case';
import { captureHold, createHold, newHoldRow } from './hold.use-cases';

type CreateHold = PayloadOf<typeof createHoldCommand>;

function holdPart(cmd: CreateHold): CreateHold {
  const { capture: _capture, ...hold } = cmd;
  return hold;
}

function capturePart(cmd: CreateHold & { capture: NonNullable<CreateHold['capture']> }) {
  return { actor: cmd.capture.actor, holdId: cmd.holdId, amount: cmd.amount, fee: cmd.capture.fee };
}

const wantsCapture = (cmd: CreateHold): cmd is CreateHold & { capture: NonNullable<CreateHold['capture']> } =>
  cmd.capture !== undefined;

function pastDeadline(deps: WalletDeps, cmd: CreateHold): Outcome<HoldView> | undefined {
  const notAfter = cmd.capture?.notAfter;
  if (notAfter === undefined || deps.clock.now().getTime() <= new Date(notAfter).getTime()) return undefined;
  return fail(
    'DEADLINE_PASSED',
    `hold ${cmd.holdId} arrived after its deadline ${notAfter}; nothing was done`,
  );
}

/**
 * `createHold`, then, when the command asks for it, `captureHold` of the whole hold: both commit or
 * neither (a savepoint), so a refused capture answers with its refusal and leaves no hold. A hold captured
 * this way is announced by HoldCaptured alone: it was never open outside this transaction.
 */
export async function createHoldThenCapture(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: CreateHold,
): Promise<Outcome<HoldView>> {
  if (!wantsCapture(cmd)) return createHold(deps, tx, cmd);
  const late = pastDeadline(deps, cmd);
  if (late) return late;
  await tx.query('SAVEPOINT hold_then_capture');
  const held = await createHold(deps, tx, holdPart(cmd), false);
  const outcome = held.ok ? await captureHold(deps, tx, capturePart(cmd)) : held;
  await tx.query(
    outcome.ok ? 'RELEASE SAVEPOINT hold_then_capture' : 'ROLLBACK TO SAVEPOINT hold_then_capture',
  );
  return outcome;
}

/**
 * The set-based form for an inbox chunk: every hold judged in one pass (`createHoldMany`'s rules), every
 * capture asked for judged in one pass (`captureHoldMany`'s), and all of them booked in one ledger batch,
 * holds first, on the same transaction. A capture refused after its hold was
 * made would need that one hold undone, which a set-based pass cannot do alone: it throws
 * `PredictionMismatch`, and the inbox applies the chunk one command at a time through `createHoldThenCapture`.
 */
export async function createHoldManyThenCapture(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: CreateHold[],
): Promise<Array<Outcome<HoldView>>> {
  if (cmds.length === 1) return [await createHoldThenCapture(deps, tx, cmds[0]!)];
  // A command past its deadline is answered, not applied; its neighbours go on.
  if (cmds.some((c) => pastDeadline(deps, c))) throw new PredictionMismatch('a command is past its deadline');
  // Holds are judged before any capture here; one at a time, a hold on a wallet that an earlier command of
  // the chunk pays into is judged with that money in: only the one-at-a-time pass answers such a chunk.
  const paidInto = new Set<string>();
  for (const c of cmds) {
    if (paidInto.has(c.walletId))
      throw new PredictionMismatch(`wallet ${c.walletId} holds after a capture into it in the same chunk`);
    if (wantsCapture(c) && c.toWalletId) paidInto.add(c.toWalletId);
  }
  const unannounced = new Set(cmds.filter(wantsCapture).map((c) => c.holdId));
  const planned = await planHoldMany(deps, tx, cmds.map(holdPart));
  // Each new hold's capture is judged against the hold as it is about to be written, and both are booked in
  // one ledger batch, holds first (the ledger resolves a hold opened earlier in its batch); a hold captured
  // here is then written captured. A capture of a hold an earlier delivery made (a redelivered command) goes
  // the two-batch way below, reading the hold as a capture would.
  const captures = cmds.flatMap((cmd, i) => {
    const plan = planned.plans[i]!;
    const heldOk = plan.kind === 'post' ? plan.expectOk : plan.outcome.ok;
    return wantsCapture(cmd) && heldOk ? [{ i, cmd }] : [];
  });
  const allNew = captures.every(({ i }) => planned.plans[i]!.kind === 'post');
  if (captures.length === 0 || !allNew)
    return createThenCaptureInTwoBatches(deps, tx, cmds, unannounced, planned);
  const aboutToBeWritten = new Map(
    planned.posts
      .filter((p) => p.expectOk)
      .map((p) => [p.cmd.holdId, openHoldRow(newHoldRow(p.cmd, p.hold, planned.now))] as const),
  );
  const plannedCaptures = await planCaptureMany(
    deps,
    tx,
    captures.map(({ cmd }) => capturePart(cmd)),
    { holds: aboutToBeWritten, wallets: planned.locked, posted: planned.posted },
  );
  const results = await deps.ledger.postInTransaction(tx, [...planned.inputs, ...plannedCaptures.inputs]);
  const { outcomes: held, rows } = await finishHoldMany(
    tx,
    planned,
    results.slice(0, planned.inputs.length),
    unannounced,
    capturesBooked(plannedCaptures),
  );
  const captured = await finishCaptureMany(tx, plannedCaptures, results.slice(planned.inputs.length), rows);
  return withCaptures(held, captures, captured);
}

/** The holds in one ledger batch, then their captures in another, for a chunk that captures an older hold. */
async function createThenCaptureInTwoBatches(
  deps: WalletDeps,
  tx: PoolClient,
  cmds: CreateHold[],
  unannounced: ReadonlySet<string>,
  planned: PlannedHolds,
): Promise<Array<Outcome<HoldView>>> {
  const { outcomes: held } = await finishHoldMany(
    tx,
    planned,
    await deps.ledger.postInTransaction(tx, planned.inputs),
    unannounced,
  );
  const captures = cmds.flatMap((cmd, i) => (wantsCapture(cmd) && held[i]!.ok ? [{ i, cmd }] : []));
  if (captures.length === 0) return held;
  const captured = await captureHoldMany(
    deps,
    tx,
    captures.map(({ cmd }) => capturePart(cmd)),
  );
  return withCaptures(held, captures, captured);
}

/**
 * Each capturing command answered by its capture; a capture refused after its hold was made sends the
 * chunk one command at a time.
 */
function withCaptures(
  held: Array<Outcome<HoldView>>,
  captures: ReadonlyArray<{ i: number }>,
  captured: Array<Outcome<HoldView>>,
): Array<Outcome<HoldView>> {
  if (captured.some((c) => !c.ok)) throw new PredictionMismatch('a capture after its hold was refused');
  const out = [...held];
  captures.forEach(({ i }, k) => (out[i] = captured[k]!));
  return out;
}

/** The row `insertHolds` returns for a new open hold, before it is written. */
function openHoldRow(h: NewHoldRow): HoldRow {
  return {
    id: h.id,
    wallet_id: h.walletId,
    to_wallet_id: h.toWalletId,
    credit_account: h.creditAccount,
    currency: h.currency,
    amount_minor: h.amountMinor.toString(),
    captured_minor: '0',
    status: 'open',
    reference: h.reference,
    expires_at: h.expiresAt,
    created_at: h.createdAt,
    placed_by: h.placedBy,
  };
}
