import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PG_POOL, ServiceRuntime } from '@paylend/platform';
import type { Pool } from 'pg';
import { CLOCK, type Clock } from '../common/clock';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { announceOrders } from './order-events';
import { orderRepository } from './order.repository';

/**
 * Expires CREATED orders whose time has passed on the injected clock, in set-based batches, announcing each
 * (event + webhook) in the same transaction. Orders read or paid before a sweep are checked on the spot too.
 */
@Injectable()
export class OrderExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @Inject(ServiceRuntime) private readonly runtime: ServiceRuntime,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((err: Error) => this.runtime.logger.error({ err: err.message }, 'order expiry sweep failed'))
        .finally(() => this.schedule());
    }, this.config.ORDER_EXPIRY_SWEEP_MS);
    this.timer.unref();
  }

  async sweep(batch = 500): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const now = this.clock.now();
      const expired = await orderRepository.expireDue(client, now, batch);
      await announceOrders(
        client,
        expired.map((order) => ({ order })),
        now,
      );
      await client.query('COMMIT');
      return expired.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
