import type { Pool, PoolClient, QueryResult } from 'pg';
import type { Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
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
  /**
   * Optional set-based form, used in batch mode: applies several messages (in order) on one transaction
   * and returns one result per message. If it throws, its work is rolled back and the messages are
   * handled one by one with `handle`.
   */
  handleMany?(messages: Array<InboundMessage<T>>, tx: PoolClient): Promise<HandlerResult[]>;
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
  /**
   * Most messages of one partition applied in one database transaction (default 1: one transaction per
   * message). Above 1 the consumer reads with eachBatch: a chunk's effects, inbox records and stored
   * replies commit together, its replies leave in one send and its offset is committed once, after the
   * commit. Each message runs under a savepoint; one that throws ends the chunk there (the messages before
   * it commit) and is then handled alone, with the usual retries and dead-lettering, so order is kept.
   */
  maxBatch?: number;
  /** Partitions handled at once (kafkajs partitionsConsumedConcurrently); default 1. */
  partitionsConcurrently?: number;
  /**
   * How long an applied message's offset may wait before it is committed, so that one OffsetCommit covers
   * every partition and chunk applied meanwhile (default 200 ms; 0 commits after each message or chunk).
   * An offset is never committed before its database commit; one committed late only means a crash or a
   * rebalance redelivers a little more, which the inbox answers as duplicates.
   */
  offsetCommitIntervalMs?: number;
}

export class InboxConsumer {
  private consumer: Consumer | undefined;
  private readonly byTopic = new Map<string, MessageHandler>();
  private inFlight = 0;
  private stopped = false;
  private readonly retry: RetryPolicy;
  /** Next offset to commit per "topic|partition": applied and committed to the database, not yet to Kafka. */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private commitTimer: NodeJS.Timeout | undefined;
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
    // After a rebalance, offsets of partitions now owned by another member are theirs to commit.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const owned = payload.memberAssignment as Record<string, number[]>;
      for (const [key, o] of this.uncommitted)
        if (!owned[o.topic]?.includes(o.partition)) this.uncommitted.delete(key);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    const maxBatch = this.opts.maxBatch ?? 1;
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.opts.partitionsConcurrently ?? 1,
      ...(maxBatch > 1
        ? {
            eachBatchAutoResolve: false,
            eachBatch: (payload: EachBatchPayload) => this.onBatch(payload, maxBatch),
          }
        : {
            eachMessage: async (payload: EachMessagePayload) => {
              await this.onMessage(payload);
            },
          }),
    });
  }

  /** Stops fetching, lets the message in hand finish (its offset is committed), then leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    // What was applied while idle is committed now, while this member still owns its partitions; a chunk
    // still in hand commits its own offset as it finishes (see markApplied).
    await this.flushOffsets();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Applies one message; false when it was left unapplied, its offset uncommitted, because this consumer is stopping. */
  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<boolean> {
    this.inFlight++;
    try {
      const handler = this.byTopic.get(topic);
      const inbound = inboundOf(topic, partition, message);
      const outcome = handler
        ? await this.process(handler, inbound, message.value?.toString() ?? '', heartbeat)
        : ({ kind: 'dead', error: new Error(`no handler for topic ${topic}`), attempts: 0 } as const);
      if (outcome.kind === 'left') {
        // A failure while stopping (a pool closing under it, say) is no verdict on the message: whoever owns
        // the partition next applies it, with its own retries.
        this.opts.log?.('warn', 'message left unapplied for the next owner of its partition', {
          topic,
          messageId: inbound.messageId,
          err: outcome.error.message,
        });
        return false;
      }
      if (outcome.kind === 'dead') {
        await this.deadLetter(inbound, message.value, outcome.error, outcome.attempts);
        const reply = this.opts.failureReply?.(outcome.error);
        if (reply !== undefined) await this.sendReply(inbound, reply);
      } else if (outcome.reply !== undefined) {
        await this.sendReply(inbound, outcome.reply);
      }
      await this.opts.afterDbCommit?.(inbound);
      // Only now, after the database commit (and the dead letter, if any), does the group move past it.
      await this.markApplied(topic, partition, message.offset);
      return true;
    } finally {
      this.inFlight--;
    }
  }

  private async onBatch(payload: EachBatchPayload, maxBatch: number): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, pause } = payload;
    const { topic, partition } = batch;
    const handler = this.byTopic.get(topic);
    let i = 0;
    while (i < batch.messages.length && isRunning() && !isStale()) {
      const chunk = batch.messages.slice(i, i + maxBatch);
      const done = handler ? await this.applyChunk(handler, topic, partition, chunk) : 0;
      if (done > 0) {
        const last = chunk[done - 1]!;
        await this.markApplied(topic, partition, last.offset);
        resolveOffset(last.offset);
        i += done;
      }
      if (done < chunk.length) {
        // The message that ended the chunk (it threw, is malformed, or has no handler) goes alone.
        const message = batch.messages[i]!;
        if (!(await this.onMessage({ topic, partition, message, heartbeat, pause }))) return;
        resolveOffset(message.offset);
        i++;
      }
      await heartbeat();
    }
  }

  /**
   * Applies a prefix of `chunk` in one transaction and returns its length: every message up to the first
   * that is malformed or throws. Replies of the applied commands are sent after the commit.
   */
  private async applyChunk(
    handler: MessageHandler,
    topic: string,
    partition: number,
    chunk: KafkaMessage[],
  ): Promise<number> {
    this.inFlight++;
    const inbound: InboundMessage[] = [];
    for (const message of chunk) {
      const m = inboundOf(topic, partition, message);
      try {
        m.value = validateMessage(handler.contract, JSON.parse(message.value?.toString() ?? ''));
      } catch {
        break; // the single-message path dead-letters it
      }
      inbound.push(m);
    }
    if (inbound.length === 0) {
      this.inFlight--;
      return 0;
    }
    const started = Date.now();
    const fast = await this.applyChunkAtOnce(handler, topic, inbound);
    // Where a message's time goes, stage by stage (LOG_LEVEL=debug): how long the chunk's messages waited
    // since they were produced, and how long applying them took.
    this.opts.log?.('debug', 'inbox chunk', {
      topic,
      messages: inbound.length,
      waitedMs: Math.round(meanAge(chunk, started)),
      applyMs: Date.now() - started,
      atOnce: fast !== undefined,
    });
    if (fast) {
      try {
        this.stats.applied += fast.applied;
        this.stats.duplicates += fast.duplicates;
        await this.sendReplies(fast.replies.filter((r) => r.reply !== undefined));
        for (const m of inbound) await this.opts.afterDbCommit?.(m);
      } finally {
        this.inFlight--;
      }
      return inbound.length;
    }
    const isCommand = handler.contract.kind === 'command';
    const replies: Array<{ inbound: InboundMessage; reply: unknown }> = [];
    let applied = 0;
    let duplicates = 0;
    let done = 0;
    const client = await this.opts.pool.connect();
    try {
      await client.query('BEGIN');
      const ids = inbound.map((m) => m.messageId);
      const claimed = await client.query<{ message_id: string }>(
        `INSERT INTO messaging.inbox (consumer, message_id, topic)
         SELECT $1, id, $3 FROM unnest($2::text[]) AS u(id) ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id`,
        [this.opts.groupId, ids, topic],
      );
      const fresh = new Set(claimed.rows.map((r) => r.message_id));
      const seen = await client.query<{ message_id: string; reply: unknown }>(
        'SELECT message_id, reply FROM messaging.inbox WHERE consumer = $1 AND message_id = ANY($2::text[])',
        [this.opts.groupId, ids.filter((id) => !fresh.has(id))],
      );
      const earlier = new Map(seen.rows.map((r) => [r.message_id, r.reply]));
      const results = new Map<string, unknown>();
      if (handler.handleMany) {
        const batchable = inbound.filter(
          (m, idx) => fresh.has(m.messageId) && inbound.findIndex((o) => o.messageId === m.messageId) === idx,
        );
        if (batchable.length > 1) {
          await client.query('SAVEPOINT inbox_batch');
          try {
            const out = await handler.handleMany(batchable, client);
            if (out.length !== batchable.length)
              throw new Error(`handleMany returned ${out.length} results for ${batchable.length} messages`);
            await client.query('RELEASE SAVEPOINT inbox_batch');
            batchable.forEach((m, idx) => results.set(m.messageId, out[idx]));
          } catch (err) {
            await client.query('ROLLBACK TO SAVEPOINT inbox_batch');
            this.opts.log?.('warn', 'set-based handler failed; handling the messages one by one', {
              topic,
              err: (err as Error).message,
            });
          }
        }
      }
      const batched = new Set(results.keys());
      for (const m of inbound) {
        if (batched.has(m.messageId)) {
          // Applied by handleMany (its first occurrence; a repeat falls to the duplicate branch below).
          if (isCommand) replies.push({ inbound: m, reply: results.get(m.messageId) });
          batched.delete(m.messageId);
          applied++;
          done++;
          continue;
        }
        if (!fresh.has(m.messageId) || results.has(m.messageId)) {
          // Applied before (or earlier in this chunk): answer with the first reply.
          duplicates++;
          if (isCommand)
            replies.push({
              inbound: m,
              reply: results.get(m.messageId) ?? earlier.get(m.messageId) ?? undefined,
            });
          done++;
          continue;
        }
        await client.query('SAVEPOINT inbox_message');
        try {
          const result = await handler.handle(m, client);
          await client.query('RELEASE SAVEPOINT inbox_message');
          results.set(m.messageId, result);
          if (isCommand) replies.push({ inbound: m, reply: result });
          applied++;
          done++;
        } catch (err) {
          await client.query('ROLLBACK TO SAVEPOINT inbox_message');
          this.opts.log?.('warn', 'message handler failed in a batch; handling it alone', {
            topic,
            messageId: m.messageId,
            err: (err as Error).message,
          });
          break;
        }
      }
      // Messages after the one that ended the chunk were claimed above: give their claims back.
      const unclaim = inbound
        .slice(done)
        .map((m) => m.messageId)
        .filter((id) => fresh.has(id) && !results.has(id));
      if (unclaim.length > 0) {
        await client.query(
          'DELETE FROM messaging.inbox WHERE consumer = $1 AND message_id = ANY($2::text[])',
          [this.opts.groupId, unclaim],
        );
      }
      const stored = [...results].filter(([, r]) => r !== undefined && isCommand);
      if (stored.length > 0) {
        await client.query(
          `UPDATE messaging.inbox i SET reply = u.reply FROM unnest($2::text[], $3::jsonb[]) AS u(id, reply)
           WHERE i.consumer = $1 AND i.message_id = u.id`,
          [this.opts.groupId, stored.map(([id]) => id), stored.map(([, r]) => JSON.stringify(r))],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.opts.log?.('warn', 'batch transaction failed; handling its first message alone', {
        topic,
        err: (err as Error).message,
      });
      this.inFlight--;
      return 0;
    } finally {
      client.release();
    }
    try {
      this.stats.applied += applied;
      this.stats.duplicates += duplicates;
      await this.sendReplies(replies.filter((r) => r.reply !== undefined));
      for (const m of inbound.slice(0, done)) await this.opts.afterDbCommit?.(m);
    } finally {
      this.inFlight--;
    }
    return done;
  }

  /**
   * The common case of a chunk, in as few round trips as the work allows: `BEGIN` and the inbox lookup
   * travel together, every message the inbox has not seen is applied (set-based when the handler can), and
   * the inbox records with their replies are inserted in the message that commits. Round trips, not rows,
   * were the consumer's main cost: the claim-first path below spends eight per chunk plus the handler's.
   *
   * Returns undefined, with everything rolled back, when anything throws: then the claim-first path applies
   * the chunk message by message, isolating the one that fails. That includes another consumer having
   * recorded one of these messages meanwhile (a rebalance): its inbox row makes our insert violate the
   * primary key, so this transaction's effects never commit, and the claim-first path answers it as a
   * duplicate.
   */
  private async applyChunkAtOnce(
    handler: MessageHandler,
    topic: string,
    inbound: InboundMessage[],
  ): Promise<
    | {
        replies: Array<{ inbound: InboundMessage; reply: unknown }>;
        applied: number;
        duplicates: number;
      }
    | undefined
  > {
    const isCommand = handler.contract.kind === 'command';
    const client = await this.opts.pool.connect();
    try {
      const lit = (v: string) => client.escapeLiteral(v);
      const group = lit(this.opts.groupId);
      // Each id's first delivery in the chunk; a repeat is answered as a duplicate of it.
      const firsts = new Map<string, InboundMessage>();
      for (const m of inbound) if (!firsts.has(m.messageId)) firsts.set(m.messageId, m);
      const ids = [...firsts.keys()];
      const [, seen] = (await client.query(
        `BEGIN; SELECT message_id, reply FROM messaging.inbox
         WHERE consumer = ${group} AND message_id = ANY(ARRAY[${ids.map(lit).join(',')}]::text[])`,
      )) as unknown as [unknown, QueryResult<{ message_id: string; reply: unknown }>];
      const earlier = new Map(seen.rows.map((r) => [r.message_id, r.reply]));
      const fresh = [...firsts.values()].filter((m) => !earlier.has(m.messageId));
      const results = new Map<string, unknown>();
      if (handler.handleMany && fresh.length > 1) {
        const out = await handler.handleMany(fresh, client);
        if (out.length !== fresh.length)
          throw new Error(`handleMany returned ${out.length} results for ${fresh.length} messages`);
        fresh.forEach((m, i) => results.set(m.messageId, out[i]));
      } else {
        for (const m of fresh) results.set(m.messageId, await handler.handle(m, client));
      }
      if (fresh.length === 0) {
        await client.query('COMMIT');
      } else {
        const rows = fresh.map((m) => {
          const r = results.get(m.messageId);
          const reply = isCommand && r !== undefined ? `${lit(JSON.stringify(r))}::jsonb` : 'NULL';
          return `(${group}, ${lit(m.messageId)}, ${lit(topic)}, ${reply})`;
        });
        await client.query(
          `INSERT INTO messaging.inbox (consumer, message_id, topic, reply) VALUES ${rows.join(',')}; COMMIT`,
        );
      }
      const applied = new Set<string>();
      const replies: Array<{ inbound: InboundMessage; reply: unknown }> = [];
      let duplicates = 0;
      for (const m of inbound) {
        const first = results.has(m.messageId) && !applied.has(m.messageId);
        if (first) applied.add(m.messageId);
        else duplicates++;
        if (isCommand)
          replies.push({
            inbound: m,
            reply: results.has(m.messageId)
              ? results.get(m.messageId)
              : (earlier.get(m.messageId) ?? undefined),
          });
      }
      return { replies, applied: applied.size, duplicates };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.opts.log?.('warn', 'chunk not applied at once; applying it message by message', {
        topic,
        err: (err as Error).message,
      });
      return undefined;
    } finally {
      client.release();
    }
  }

  /** Records that everything up to `offset` is applied; its commit to Kafka leaves with the next flush. */
  private async markApplied(topic: string, partition: number, offset: string): Promise<void> {
    this.uncommitted.set(`${topic}|${partition}`, {
      topic,
      partition,
      offset: (BigInt(offset) + 1n).toString(),
    });
    const interval = this.opts.offsetCommitIntervalMs ?? 200;
    // Stopping: kafkajs leaves the group as soon as this batch returns, so commit before it does.
    if (interval === 0 || this.stopped) return this.flushOffsets();
    this.commitTimer ??= setTimeout(() => {
      this.commitTimer = undefined;
      void this.flushOffsets();
    }, interval);
  }

  private async flushOffsets(): Promise<void> {
    if (this.commitTimer) {
      clearTimeout(this.commitTimer);
      this.commitTimer = undefined;
    }
    if (this.uncommitted.size === 0 || !this.consumer) return;
    const offsets = [...this.uncommitted.values()];
    this.uncommitted.clear();
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      // The messages stay applied; whoever reads these partitions next gets them again and the inbox drops them.
      this.opts.log?.('warn', 'offset commit failed; the applied messages will be redelivered and skipped', {
        err: (err as Error).message,
      });
    }
  }

  private async sendReplies(replies: Array<{ inbound: InboundMessage; reply: unknown }>): Promise<void> {
    const byTopic = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
    for (const { inbound, reply } of replies) {
      const replyTo = inbound.headers[HEADER.replyTo];
      const correlationId = inbound.headers[HEADER.correlationId];
      if (!replyTo || !correlationId) continue;
      const list = byTopic.get(replyTo) ?? [];
      list.push({
        key: correlationId,
        value: JSON.stringify(reply),
        headers: { [HEADER.correlationId]: correlationId },
      });
      byTopic.set(replyTo, list);
    }
    if (byTopic.size === 0) return;
    await this.opts.producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  private async process(
    handler: MessageHandler,
    inbound: InboundMessage,
    raw: string,
    heartbeat: () => Promise<void>,
  ): Promise<
    | { kind: 'done'; reply: unknown }
    | { kind: 'dead'; error: Error; attempts: number }
    | { kind: 'left'; error: Error }
  > {
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
        if (attempt === this.retry.attempts) break;
        if (this.stopped) return { kind: 'left', error: lastError };
        this.stats.retried++;
        const backoff = Math.min(this.retry.maxBackoffMs, this.retry.initialBackoffMs * 2 ** (attempt - 1));
        await sleepWithHeartbeat(backoff, heartbeat, () => this.stopped);
        if (this.stopped) return { kind: 'left', error: lastError };
      }
    }
    return { kind: 'dead', error: lastError, attempts: this.retry.attempts };
  }

  /**
   * One database transaction: the inbox record and the handler's effect commit together or not at all.
   * `BEGIN` rides with the inbox lookup and the record with `COMMIT` (two round trips besides the
   * handler's). Two consumers applying the same message at once (a rebalance) both run the handler, but
   * the second one's record violates the inbox's primary key, so its effects roll back; its retry finds
   * the first one's record and answers as a duplicate.
   */
  private async applyOnce(handler: MessageHandler, inbound: InboundMessage): Promise<unknown> {
    const client = await this.opts.pool.connect();
    try {
      const lit = (v: string) => client.escapeLiteral(v);
      const key = `consumer = ${lit(this.opts.groupId)} AND message_id = ${lit(inbound.messageId)}`;
      const [, seen] = (await client.query(
        `BEGIN; SELECT reply FROM messaging.inbox WHERE ${key}`,
      )) as unknown as [unknown, QueryResult<{ reply: unknown }>];
      if (seen.rows.length > 0) {
        await client.query('COMMIT');
        this.stats.duplicates++;
        return seen.rows[0]!.reply ?? undefined;
      }
      const result = await handler.handle(inbound, client);
      const isCommand = handler.contract.kind === 'command';
      const reply = isCommand && result !== undefined ? `${lit(JSON.stringify(result))}::jsonb` : 'NULL';
      await client.query(
        `INSERT INTO messaging.inbox (consumer, message_id, topic, reply)
         VALUES (${lit(this.opts.groupId)}, ${lit(inbound.messageId)}, ${lit(inbound.topic)}, ${reply}); COMMIT`,
      );
      this.stats.applied++;
      return isCommand ? result : undefined;
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

/** A fetched message as handlers see it, its value still to be validated. */
function inboundOf(topic: string, partition: number, message: KafkaMessage): InboundMessage {
  const headers = stringHeaders(
    Object.fromEntries(Object.keys(message.headers ?? {}).map((k) => [k, headerValue(message.headers, k)])),
  );
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    // A message without an id (not from a PayLend producer) is identified by where it sits in the log.
    messageId: headers[HEADER.messageId] ?? `${topic}/${partition}/${message.offset}`,
    value: undefined,
    headers,
  };
}

/** Sleeps `ms` (heartbeating every 500 ms so the group keeps this member), or until `interrupted()`. */
async function sleepWithHeartbeat(
  ms: number,
  heartbeat: () => Promise<void>,
  interrupted: () => boolean,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !interrupted()) {
    await new Promise((r) => setTimeout(r, Math.min(500, until - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}

export function consumerFor(kafka: Kafka, pool: Pool, producer: Producer) {
  return (groupId: string, handlers: MessageHandler[], extra: Partial<InboxConsumerOptions> = {}) =>
    new InboxConsumer({ kafka, pool, producer, groupId, handlers, ...extra });
}

/** Mean time since the messages were produced (their Kafka create time), in ms. */
function meanAge(messages: KafkaMessage[], now: number): number {
  let sum = 0;
  for (const m of messages) sum += now - Number(m.timestamp);
  return messages.length === 0 ? 0 : sum / messages.length;
}
