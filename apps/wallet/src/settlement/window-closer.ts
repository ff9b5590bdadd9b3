import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { SettlementWindowView } from '@paylend/contracts';
import type { SettlementDeps } from './settlement-core';
import { closeDueWindows } from './window.use-cases';

/**
 * The clock's side of the daily window: closes every open window whose day has ended (and opens the next),
 * one transaction per pass. An operator may close a window earlier; then there is nothing due here.
 */
export class WindowCloser {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: SettlementDeps,
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.closeDue()
        .catch((err: Error) => this.log.error({ err: err.message }, 'settlement window close failed'))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async closeDue(): Promise<SettlementWindowView[]> {
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN');
      const closed = await closeDueWindows(this.deps, tx);
      await tx.query('COMMIT');
      if (closed.length > 0)
        this.log.info({ windows: closed.map((w) => w.windowId) }, 'the clock closed settlement windows');
      return closed;
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }
}
