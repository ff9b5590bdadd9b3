import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { HoldView } from '@paylend/contracts';
import { PG_POOL, ServiceRuntime } from '@paylend/platform';
import type { Pool, PoolClient } from 'pg';
import { CLOCK, type Clock } from '../common/clock';
import { PaymentsError } from '../common/payments-error';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { merchantRepository } from '../merchant/merchant.repository';
import { orderRepository } from '../order/order.repository';
import { OrderService } from '../order/order.service';
import { refundRepository, type RefundRow } from '../order/refund.repository';
import { WalletPort, type WalletResult } from '../wallet/wallet-port';
import { PaymentService } from './payment.service';

export type RecoveryAction = 'complete' | 'capture' | 'fail' | 'wait';

/** What a PENDING order becomes, given what the wallet says about its hold. */
export function recoveryAction(hold: WalletResult<HoldView>): RecoveryAction {
  if (!hold.ok) return hold.unavailable ? 'wait' : 'fail';
  switch (hold.value.status) {
    case 'captured':
      return 'complete';
    case 'open':
      return 'capture';
    case 'voided':
    case 'expired':
      return 'fail';
  }
}

/**
 * Resolves what unanswered wallet requests left pending. Orders left PENDING by a capture: the wallet's hold
 * is the truth. Captured -> SUCCEEDED; still open -> capture it now; released or never made -> the QR order
 * is payable again (a payment-code charge FAILED). Without this an order could stay PENDING while the
 * payer's money sits captured in the merchant's wallet. Refunds left pending by a transfer: asked for again
 * under the same transfer id, which the wallet pays once, so each ends paid or refused.
 */
@Injectable()
export class PendingRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @Inject(WalletPort) private readonly wallet: WalletPort,
    @Inject(PaymentService) private readonly payments: PaymentService,
    @Inject(OrderService) private readonly orders: OrderService,
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
        .catch((err: Error) =>
          this.runtime.logger.error({ err: err.message }, 'pending-order recovery failed'),
        )
        .finally(() => this.schedule());
    }, this.config.PENDING_RECOVERY_MS);
    this.timer.unref();
  }

  /**
   * One pass over PENDING orders and pending refunds untouched for longer than two wallet timeouts (by then
   * no first attempt is still waiting for its answer); returns how many it resolved.
   */
  async sweep(limit = 20): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - 2 * this.config.WALLET_TIMEOUT_MS);
    let resolved = 0;
    for (const id of await orderRepository.pendingSince(this.pool, cutoff, limit))
      if (await this.inTransaction({ orderId: id }, (tx) => this.resolve(tx, id))) resolved++;
    for (const refund of await refundRepository.pendingSince(this.pool, cutoff, limit))
      if (await this.inTransaction({ refundId: refund.id }, (tx) => this.resolveRefund(tx, refund)))
        resolved++;
    return resolved;
  }

  private async inTransaction(
    what: Record<string, string>,
    work: (tx: PoolClient) => Promise<boolean>,
  ): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const done = await work(client);
      await client.query('COMMIT');
      return done;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.runtime.logger.warn({ ...what, err: (err as Error).message }, 'could not resolve a pending item');
      return false;
    } finally {
      client.release();
    }
  }

  /** Asks the wallet again for a pending refund, under its order's lock; skipped if someone holds it. */
  private async resolveRefund(tx: PoolClient, refund: RefundRow): Promise<boolean> {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM orders WHERE id = $1 FOR UPDATE SKIP LOCKED`,
      [refund.orderId],
    );
    if (!rows[0]) return false;
    const current = await refundRepository.get(tx, refund.id);
    if (current?.status !== 'pending') return false;
    const order = (await orderRepository.get(tx, refund.orderId))!;
    const merchant = (await merchantRepository.get(tx, order.merchantId))!;
    const reply = await this.orders.payRefund(tx, order, merchant, current);
    const unanswered = !reply.ok && reply.error.code === 'WALLET_UNAVAILABLE';
    this.runtime.logger.info(
      { refundId: refund.id, orderId: refund.orderId, outcome: reply.ok ? 'paid' : reply.error.code },
      'resolving a pending refund',
    );
    return !unanswered;
  }

  private async resolve(tx: PoolClient, orderId: string): Promise<boolean> {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM orders WHERE id = $1 AND status = 'PENDING' FOR UPDATE SKIP LOCKED`,
      [orderId],
    );
    if (!rows[0]) return false;
    const order = (await orderRepository.get(tx, orderId))!;
    const merchant = (await merchantRepository.get(tx, order.merchantId))!;
    const hold = await this.wallet.getHold(order.holdId!);
    const action = recoveryAction(hold);
    this.runtime.logger.info({ orderId, holdId: order.holdId, action }, 'resolving a pending order');
    switch (action) {
      case 'wait':
        return false;
      case 'complete':
        await this.payments.completeCaptured(tx, order, (hold as { ok: true; value: HoldView }).value);
        return true;
      case 'capture':
        return (await this.payments.capture(tx, merchant, order, 'fail')).kind !== 'pending';
      case 'fail': {
        const error = hold.ok
          ? {
              code: 'HOLD_RELEASED',
              message: `hold ${order.holdId} was ${hold.value.status} before it was captured`,
            }
          : hold.error;
        // Nothing was captured: a QR order becomes payable again, a payment-code charge fails.
        try {
          await this.payments.decline(tx, order, error, order.kind === 'payment-code' ? 'fail' : 'release');
        } catch (err) {
          if (!(err instanceof PaymentsError)) throw err;
        }
        return true;
      }
    }
  }
}
