import type { Pool, PoolClient } from 'pg';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { ContractViolation, dlqTopic, type MessageContract, validateMessage } from '@paylend/contracts';
import { HEADER, headerValue, stringHeaders } from '../kafka/headers';
import type { LogSink } from '../kafka/kafka-client';

export interface InboundMessage<T = unknown> {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  messageId: string;
  value: T;
  headers: Record<string, string>;
}

/**
 * What a handler returns. For a command it is the reply sent back to the requester (and kept in the inbox
 * so a redelivered command gets the same answer); for an event it is ignored.
 */
export type HandlerResult = unknown;

export interface MessageHandler<T = unknown> {
  contract: MessageContract<T>;
  handle(message: InboundMessage<T>, tx: PoolClient): Promise<HandlerResult>;
}

export interface RetryPolicy {
  /** Attempts before the message is dead-lettered, the first included. */
  attempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, initialBackoffMs: 200, maxBackoffMs: 5000 };

export interface InboxConsumerOptions {
  kafka: Kafka;
  pool: Pool;
  /** The Kafka consumer group, also the inbox's consumer name: one group, one record of what it applied. */
  groupId: string;
  handlers: MessageHandler[];
  /** Used for dead letters and replies. */
  producer: Producer;
  retry?: RetryPolicy;
  log?: LogSink;
  /** Replies that a failed command gets, so its caller is not left waiting for a timeout. */
  failureReply?: (err: Error) => unknown;
  /** Test seam: runs after the database commit and before the offset commit. */
  afterDbCommit?: (message: InboundMessage) => Promise<void>;
  sessionTimeoutMs?: number;
}

export class InboxConsumer {
  private consumer: Consumer | undefined;
  private readonly byTopic = new Map<string, MessageHandler>();
  private inFlight = 0;
  private stopped = false;
  private readonly retry: RetryPolicy;
  readonly stats = { applied: 0, duplicates: 0, deadLettered: 0, retried: 0 };

  constructor(private readonly opts: InboxConsumerOptions) {
    for (const h of opts.handlers) this.byTopic.set(h.contract.topic, h);
    this.retry = opts.retry ?? DEFAULT_RETRY;
  }

  get topics(): string[] {
    return [...this.byTopic.keys()];
  }

  async start(): Promise<void> {
    const consumer = this.opts.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: this.opts.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1000,
      // Bounds how long a shutdown waits for an idle long-poll fetch to return.
      maxWaitTimeInMs: 1000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: (payload) => this.onMessage(payload),
    });
  }

  /** Stops fetching, lets the message in hand finish (its offset is committed), then leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    this.inFlight++;
    try {
      const handler = this.byTopic.get(topic);
      const headers = stringHeaders(
        Object.fromEntries(
          Object.keys(message.headers ?? {}).map((k) => [k, headerValue(message.headers, k)]),
        ),
      );
      const inbound: InboundMessage = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString(),
        // A message without an id (not from a PayLend producer) is identified by where it sits in the log.
        messageId: headers[HEADER.messageId] ?? `${topic}/${partition}/${message.offset}`,
        value: undefined,
        headers,
      };
      const outcome = handler
        ? await this.process(handler, inbound, message.value?.toString() ?? '', heartbeat)
        : ({ kind: 'dead', error: new Error(`no handler for topic ${topic}`), attempts: 0 } as const);
      if (outcome.kind === 'dead') {
        await this.deadLetter(inbound, message.value, outcome.error, outcome.attempts);
        const reply = this.opts.failureReply?.(outcome.error);
        if (reply !== undefined) await this.sendReply(inbound, reply);
      } else if (outcome.reply !== undefined) {
        await this.sendReply(inbound, outcome.reply);
      }
      await this.opts.afterDbCommit?.(inbound);
      // Only now, after the database commit (and the dead letter, if any), does the group move past it.
      await this.consumer?.commitOffsets([
        { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
      ]);
    } finally {
      this.inFlight--;
    }
  }

  private async process(
    handler: MessageHandler,
    inbound: InboundMessage,
    raw: string,
    heartbeat: () => Promise<void>,
  ): Promise<{ kind: 'done'; reply: unknown } | { kind: 'dead'; error: Error; attempts: number }> {
    try {
      inbound.value = validateMessage(handler.contract, JSON.parse(raw));
    } catch (err) {
      // A malformed message will never succeed: straight to the dead-letter topic, no retries.
      const error =
        err instanceof ContractViolation ? err : new Error(`invalid JSON: ${(err as Error).message}`);
      return { kind: 'dead', error, attempts: 1 };
    }
    let lastError: Error = new Error('not attempted');
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      try {
        return { kind: 'done', reply: await this.applyOnce(handler, inbound) };
      } catch (err) {
        lastError = err instanceof Error ? err : new Error(String(err));
        this.opts.log?.('warn', 'message handler failed', {
          topic: inbound.topic,
          messageId: inbound.messageId,
          attempt,
          err: lastError.message,
        });
        if (attempt === this.retry.attempts || this.stopped) break;
        this.stats.retried++;
        const backoff = Math.min(this.retry.maxBackoffMs, this.retry.initialBackoffMs * 2 ** (attempt - 1));
        await sleepWithHeartbeat(backoff, heartbeat);
      }
    }
    return { kind: 'dead', error: lastError, attempts: this.retry.attempts };
  }

  /** One database transaction: the inbox record and the handler's effect commit together or not at all. */
  private async applyOnce(handler: MessageHandler, inbound: InboundMessage): Promise<unknown> {
    const client = await this.opts.pool.connect();
    try {
      await client.query('BEGIN');
      const claimed = await client.query(
        `INSERT INTO messaging.inbox (consumer, message_id, topic) VALUES ($1, $2, $3)
         ON CONFLICT (consumer, message_id) DO NOTHING`,
        [this.opts.groupId, inbound.messageId, inbound.topic],
      );
      if (claimed.rowCount === 0) {
        const seen = await client.query<{ reply: unknown }>(
          'SELECT reply FROM messaging.inbox WHERE consumer = $1 AND message_id = $2',
          [this.opts.groupId, inbound.messageId],
        );
        await client.query('COMMIT');
        this.stats.duplicates++;
        return seen.rows[0]?.reply ?? undefined;
      }
      const result = await handler.handle(inbound, client);
      if (result !== undefined && handler.contract.kind === 'command') {
        await client.query('UPDATE messaging.inbox SET reply = $3 WHERE consumer = $1 AND message_id = $2', [
          this.opts.groupId,
          inbound.messageId,
          JSON.stringify(result),
        ]);
      }
      await client.query('COMMIT');
      this.stats.applied++;
      return handler.contract.kind === 'command' ? result : undefined;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async deadLetter(inbound: InboundMessage, value: Buffer | null, error: Error, attempts: number) {
    this.stats.deadLettered++;
    this.opts.log?.('error', 'message dead-lettered', {
      topic: inbound.topic,
      messageId: inbound.messageId,
      err: error.message,
    });
    await this.opts.producer.send({
      topic: dlqTopic(inbound.topic),
      messages: [
        {
          key: inbound.key ?? null,
          value,
          headers: {
            ...inbound.headers,
            [HEADER.error]: error.message.slice(0, 4000),
            [HEADER.errorCode]: (error as { code?: string }).code ?? 'HANDLER_FAILED',
            [HEADER.originalTopic]: inbound.topic,
            [HEADER.originalPartition]: String(inbound.partition),
            [HEADER.originalOffset]: inbound.offset,
            [HEADER.attempts]: String(attempts),
          },
        },
      ],
    });
  }

  private async sendReply(inbound: InboundMessage, reply: unknown): Promise<void> {
    const replyTo = inbound.headers[HEADER.replyTo];
    const correlationId = inbound.headers[HEADER.correlationId];
    if (!replyTo || !correlationId) return;
    await this.opts.producer.send({
      topic: replyTo,
      messages: [
        {
          key: correlationId,
          value: JSON.stringify(reply),
          headers: { [HEADER.correlationId]: correlationId },
        },
      ],
    });
  }
}

async function sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, Math.min(500, until - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}

export function consumerFor(kafka: Kafka, pool: Pool, producer: Producer) {
  return (groupId: string, handlers: MessageHandler[], extra: Partial<InboxConsumerOptions> = {}) =>
    new InboxConsumer({ kafka, pool, producer, groupId, handlers, ...extra });
}
