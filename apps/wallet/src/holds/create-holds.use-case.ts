import type { PoolClient } from 'pg';
import type { HoldView, PayloadOf, createHoldsCommand } from '@paylend/contracts';
import { PredictionMismatch } from '../wallet/p2p-batch.use-case';
import { ok, type Outcome, type WalletDeps } from '../wallet/wallet-core';
import { createHoldManyThenCapture, createHoldThenCapture } from './hold-and-capture.use-case';

type CreateHolds = PayloadOf<typeof createHoldsCommand>;

/**
 * A chunk of `create-holds` messages: every hold of every message in one set-based pass
 * (`createHoldManyThenCapture`), answered per message with one outcome per hold, in order. Anything that
 * pass cannot decide as the one-by-one path would throws `PredictionMismatch` and the inbox applies the chunk
 * message by message; a single message then falls back to its holds one at a time itself, so a message is
 * never refused for what its neighbours did.
 */
export async function createHoldsMany(
  deps: WalletDeps,
  tx: PoolClient,
  messages: CreateHolds[],
): Promise<Array<Outcome<Array<Outcome<HoldView>>>>> {
  const holds = messages.flatMap((m) => m.holds);
  const outcomes =
    messages.length === 1
      ? await holdsOfOneMessage(deps, tx, holds)
      : await createHoldManyThenCapture(deps, tx, holds);
  let next = 0;
  return messages.map((m) => ok(outcomes.slice(next, (next += m.holds.length))));
}

async function holdsOfOneMessage(
  deps: WalletDeps,
  tx: PoolClient,
  holds: CreateHolds['holds'],
): Promise<Array<Outcome<HoldView>>> {
  await tx.query('SAVEPOINT create_holds');
  try {
    const outcomes = await createHoldManyThenCapture(deps, tx, holds);
    await tx.query('RELEASE SAVEPOINT create_holds');
    return outcomes;
  } catch (err) {
    if (!(err instanceof PredictionMismatch)) throw err;
    await tx.query('ROLLBACK TO SAVEPOINT create_holds');
    const outcomes: Array<Outcome<HoldView>> = [];
    for (const hold of holds) outcomes.push(await createHoldThenCapture(deps, tx, hold));
    return outcomes;
  }
}
