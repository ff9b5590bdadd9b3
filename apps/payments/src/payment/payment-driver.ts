import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { OrderView, Reply } from '@paylend/contracts';
import { HEADER } from '@paylend/messaging';
import { PG_POOL, ServiceRuntime } from '@paylend/platform';
import type { ClientBase, Pool, PoolClient } from 'pg';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { WalletPort } from '../wallet/wallet-port';
import { PaymentService, walletHalfOf, type StartedPayment, type WalletHalf } from './payment.service';

const CHANNEL = 'payments_started';

interface Job {
  started: StartedPayment;
  replyTo: string | undefined;
  correlationId: string | undefined;
}

/**
 * Runs the wallet half of QR payments off the Kafka partition, in batches. A chunk of pay commands commits
 * its orders as PENDING and returns without replies; a NOTIFY sent in that transaction reaches this driver
 * only once it has committed. The driver then takes every started payment waiting (up to a batch), asks the
 * wallet to hold and capture each (both or neither; one `create-holds` command per merchant), completes
 * the batch's orders in one transaction and answers each requester on its reply topic. No order lock is
 * held across the wallet round trip: the command is idempotent by hold id and refused past its deadline,
 * and completion re-reads each order under its lock.
 * If this process dies meanwhile, the orders stay PENDING: the requester's retry resumes one, or the
 * recovery sweep resolves it from the wallet's hold.
 */
@Injectable()
export class PaymentDriver implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Started payments by the NOTIFY token of the transaction that started them. */
  private readonly started = new Map<string, { jobs: Job[]; queuedAt: number }>();
  private readonly queue: Job[] = [];
  private listener: PoolClient | undefined;
  private running = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PaymentService) private readonly payments: PaymentService,
    @Inject(WalletPort) private readonly wallet: WalletPort,
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
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      this.listener.release();
      this.listener = undefined;
    }
  }

  /** Registers the after-commit work of started payments, on the transaction that commits them. */
  async enqueueMany(
    tx: ClientBase,
    items: ReadonlyArray<{ started: StartedPayment; headers: Record<string, string> }>,
  ): Promise<void> {
    if (items.length === 0) return;
    this.prune();
    const token = randomUUID();
    this.started.set(token, {
      jobs: items.map(({ started, headers }) => ({
        started,
        replyTo: headers[HEADER.replyTo],
        correlationId: headers[HEADER.correlationId],
      })),
      queuedAt: Date.now(),
    });
    await tx.query('SELECT pg_notify($1, $2)', [CHANNEL, token]);
  }

  /** Entries whose transaction rolled back never get their NOTIFY. */
  private prune(): void {
    const cutoff = Date.now() - 60_000;
    for (const [k, j] of this.started) if (j.queuedAt < cutoff) this.started.delete(k);
  }

  private launch(token: string): void {
    const entry = this.started.get(token);
    if (!entry || this.stopped) return; // another instance's payments, or shutting down (recovery takes them)
    this.started.delete(token);
    this.queue.push(...entry.jobs);
    this.pump();
  }

  /** Starts batches while there is work and a free slot; what waits meanwhile joins the next batch. */
  private pump(): void {
    while (this.running < this.config.PAYMENT_DRIVER_CONCURRENCY && this.queue.length > 0) {
      const jobs = this.queue.splice(0, this.config.PAYMENT_DRIVER_BATCH);
      this.running++;
      const p = this.runBatch(jobs).finally(() => {
        this.running--;
        this.inFlight.delete(p);
        if (!this.stopped) this.pump();
      });
      this.inFlight.add(p);
    }
  }

  private async runBatch(jobs: Job[]): Promise<void> {
    let replies: Array<Reply<OrderView>>;
    try {
      const started = Date.now();
      const halves = await this.walletHalves(jobs.map((j) => j.started));
      const walletMs = Date.now() - started;
      replies = await this.complete(jobs.map((j, i) => ({ started: j.started, half: halves[i]! })));
      this.runtime.log('debug', 'payment batch', {
        orders: jobs.length,
        walletMs,
        completeMs: Date.now() - started - walletMs,
        waiting: this.queue.length,
      });
    } catch (err) {
      this.runtime.logger.error(
        { orders: jobs.length, err: (err as Error).message },
        'payments left PENDING for recovery',
      );
      const error = {
        code: 'PAYMENT_PENDING',
        message: `the payment could not be completed now (${(err as Error).message}); retry or query the order`,
      };
      replies = jobs.map(() => ({ ok: false, error }));
    }
    await Promise.all(jobs.map((j, i) => this.answer(j, replies[i]!)));
  }

  /** Every payment's hold-and-capture at once: one wallet command per merchant for the whole batch. */
  private async walletHalves(started: StartedPayment[]): Promise<WalletHalf[]> {
    const results = await this.wallet.holdAndCaptureMany(
      started.map((s) => ({
        actor: s.holdActor,
        holdId: s.holdId,
        walletId: s.payerWalletId,
        amount: s.amount,
        toWalletId: s.merchantWalletId,
        reference: s.orderId,
        timeoutSeconds: this.config.HOLD_TIMEOUT_SECONDS,
        fee: s.fee,
        notAfter: s.notAfter,
      })),
    );
    return results.map(walletHalfOf);
  }

  private async complete(items: Array<{ started: StartedPayment; half: WalletHalf }>) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const replies = await this.payments.completeStarted(client, items);
      await client.query('COMMIT');
      return replies;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
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
