import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { walletRepository as repo } from '@paylend/wallet-data-access';
import { inTransaction } from '@paylend/platform';
import { releaseHold } from '../holds/hold.use-cases';
import { failWithdrawal } from '../withdrawals/withdrawal.use-cases';
import type { WalletDeps } from '../wallet/wallet-core';

/**
 * Expires holds and withdrawals whose time is up. The wallet keeps expiry itself (rather than a ledger
 * timeout) so that the release, the wallet rows and the outbox event commit in one transaction, and a
 * capture that races the sweep is decided under the same wallet row lock.
 */
export class ExpirySweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: WalletDeps,
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweepOnce()
        .catch((err: Error) => this.log.error({ err: err.message }, 'expiry sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; returns how many holds and withdrawals it expired. */
  async sweepOnce(): Promise<{ holds: number; withdrawals: number }> {
    const now = this.deps.clock.now();
    let holds = 0;
    let withdrawals = 0;
    for (const due of await repo.dueHolds(this.pool, now, 500)) {
      const done = await inTransaction(this.pool, async (tx) => {
        const w = (await repo.lock(tx, [due.wallet_id])).get(due.wallet_id)!;
        const hold = await repo.hold(tx, due.id, true);
        if (!hold || hold.status !== 'open') return false;
        const r = await releaseHold(this.deps, tx, w, hold, 'expired');
        if (!r.ok) this.log.error({ holdId: hold.id, error: r.error }, 'hold could not be expired');
        return r.ok;
      });
      if (done) holds++;
    }
    for (const due of await repo.dueWithdrawals(this.pool, now, 500)) {
      const done = await inTransaction(this.pool, async (tx) => {
        const w = (await repo.lock(tx, [due.wallet_id])).get(due.wallet_id)!;
        const wd = await repo.withdrawal(tx, due.id, true);
        if (!wd || wd.status !== 'pending') return false;
        const r = await failWithdrawal(this.deps, tx, w, wd, 'timed out waiting for the bank');
        if (!r.ok) this.log.error({ withdrawalId: wd.id, error: r.error }, 'withdrawal could not be expired');
        return r.ok;
      });
      if (done) withdrawals++;
    }
    if (holds + withdrawals > 0) this.log.info({ holds, withdrawals }, 'expired holds and withdrawals');
    return { holds, withdrawals };
  }
}
