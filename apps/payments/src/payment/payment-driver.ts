import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { OrderView, Reply } from '@paylend/contracts';
import { HEADER } from '@paylend/messaging';
import { PG_POOL, ServiceRuntime } from '@paylend/platform';
import type { ClientBase, Pool, PoolClient } from 'pg';
import { PaymentsError } from '../common/payments-error';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { PaymentService, type PaymentOutcome, type StartedPayment } from './payment.service';

const CHANNEL = 'payments_started';

interface Job {
  started: StartedPayment;
  replyTo: string | undefined;
  correlationId: string | undefined;
  queuedAt: number;
}

/**
 * Runs the wallet half of QR payments off the Kafka partition. The pay command commits its order as
 * PENDING and returns without a reply; a NOTIFY sent in that transaction reaches this driver only once it
 * has committed, and the driver then holds, captures, completes (own transaction) and answers the
 * requester itself on its reply topic. So a partition is busy for one short transaction per payment, not
 * for two wallet round trips. If this process dies meanwhile, the order stays PENDING: the requester's
 * retry resumes it, or the recovery sweep resolves it from the wallet's hold.
 */
@Injectable()
export class PaymentDriver implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly jobs = new Map<string, Job>();
  private listener: PoolClient | undefined;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PaymentService) private readonly payments: PaymentService,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @Inject(ServiceRuntime) private readonly runtime: ServiceRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = await this.pool.connect();
    this.listener.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.launch(n.payload);
    });
    await this.listener.query(`LISTEN ${CHANNEL}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      this.listener.release();
      this.listener = undefined;
    }
  }

  /** Registers the after-commit work of a started payment, on the transaction that commits it. */
  async enqueue(tx: ClientBase, started: StartedPayment, headers: Record<string, string>): Promise<void> {
    this.prune();
    const key = `${started.orderId}|${started.holdId}`;
    this.jobs.set(key, {
      started,
      replyTo: headers[HEADER.replyTo],
      correlationId: headers[HEADER.correlationId],
      queuedAt: Date.now(),
    });
    await tx.query('SELECT pg_notify($1, $2)', [CHANNEL, key]);
  }

  /** Entries whose transaction rolled back never get their NOTIFY. */
  private prune(): void {
    const cutoff = Date.now() - 60_000;
    for (const [k, j] of this.jobs) if (j.queuedAt < cutoff) this.jobs.delete(k);
  }

  private launch(key: string): void {
    const job = this.jobs.get(key);
    if (!job || this.stopped) return; // another instance's payment, or shutting down (recovery takes it)
    this.jobs.delete(key);
    const p = this.run(job).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async slot(): Promise<() => void> {
    if (this.running >= this.config.PAYMENT_DRIVER_CONCURRENCY)
      await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    return () => {
      this.running--;
      this.waiting.shift()?.();
    };
  }

  private async run(job: Job): Promise<void> {
    const release = await this.slot();
    let reply: Reply<OrderView>;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        reply = replyOfOutcome(await this.payments.runStarted(client, job.started));
      } catch (err) {
        if (!(err instanceof PaymentsError)) throw err;
        reply = { ok: false, error: err.toBody() };
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.runtime.logger.error(
        { orderId: job.started.orderId, err: (err as Error).message },
        'payment left PENDING for recovery',
      );
      reply = {
        ok: false,
        error: {
          code: 'PAYMENT_PENDING',
          message: `the payment could not be completed now (${(err as Error).message}); retry or query the order`,
        },
      };
    } finally {
      client.release();
      release();
    }
    await this.answer(job, reply);
  }

  private async answer(job: Job, reply: Reply<OrderView>): Promise<void> {
    if (!job.replyTo || !job.correlationId) return;
    try {
      // Coalesced: the replies of payments finishing together leave in one produce request.
      await this.runtime.sender.send(job.replyTo, {
        key: job.correlationId,
        value: JSON.stringify(reply),
        headers: { [HEADER.correlationId]: job.correlationId },
      });
    } catch (err) {
      this.runtime.logger.warn(
        { orderId: job.started.orderId, err: (err as Error).message },
        'could not send a payment reply',
      );
    }
  }
}

/** A committed outcome as a reply: paid is the order; a recorded decline or a pending capture is a refusal carrying it. */
export function replyOfOutcome(o: PaymentOutcome): Reply<OrderView> {
  switch (o.kind) {
    case 'paid':
      return { ok: true, value: o.order };
    case 'declined':
      return {
        ok: false,
        error: {
          code: 'PAYMENT_DECLINED',
          message: o.message,
          details: { walletError: o.walletCode, order: o.order },
        },
      };
    case 'pending':
      return {
        ok: false,
        error: {
          code: 'PAYMENT_PENDING',
          message: `${o.message}; retry with the same request or query the order`,
          details: { order: o.order },
        },
      };
  }
}
