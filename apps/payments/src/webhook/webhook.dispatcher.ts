import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PG_POOL, ServiceRuntime } from '@paylend/platform';
import type { Pool } from 'pg';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { retryDelayMs, webhookHeaders } from './webhook-signature';
import { webhookRepository as repo, type DueDelivery } from './webhook.repository';

/**
 * Sends queued merchant notifications: signed, one POST each, acknowledged by any 2xx. A failure is
 * retried with doubling backoff up to WEBHOOK_MAX_ATTEMPTS; the same event id goes out every time, so the
 * merchant deduplicates. Signing time is wall-clock time, because the receiver checks it against its own.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  readonly stats = { delivered: 0, failedAttempts: 0, givenUp: 0 };

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
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
      this.running = this.tick()
        .catch((err: Error) => this.runtime.logger.error({ err: err.message }, 'webhook dispatch failed'))
        .finally(() => this.schedule());
    }, this.config.WEBHOOK_POLL_MS);
    this.timer.unref();
  }

  /** One round: claim what is due and send it, in parallel. */
  async tick(): Promise<number> {
    const due = await repo.claimDue(this.pool, 50, this.config.WEBHOOK_TIMEOUT_MS * 2);
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async deliver(d: DueDelivery): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: webhookHeaders({
          eventId: d.eventId,
          keyId: d.keyId,
          secret: d.secret,
          timestamp,
          body: d.body,
        }),
        body: d.body,
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    if (error === null) {
      await repo.delivered(this.pool, d.eventId);
      this.stats.delivered++;
      return;
    }
    const attempts = d.attempts + 1;
    const giveUp = attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
    this.stats.failedAttempts++;
    if (giveUp) this.stats.givenUp++;
    await repo.failedAttempt(
      this.pool,
      d.eventId,
      error,
      giveUp
        ? null
        : retryDelayMs(attempts, this.config.WEBHOOK_RETRY_BASE_MS, this.config.WEBHOOK_RETRY_MAX_MS),
    );
    this.runtime.logger.warn(
      { eventId: d.eventId, merchantId: d.merchantId, attempts, error, giveUp },
      'webhook not acknowledged',
    );
  }
}
