import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { type CommandContract, replyTopic, validateMessage } from '@paylend/contracts';
import { CoalescingSender } from '../kafka/coalescing-sender';
import { HEADER, headerValue } from '../kafka/headers';

export class RequestTimeoutError extends Error {
  readonly code = 'REQUEST_TIMEOUT';
  constructor(topic: string, timeoutMs: number) {
    const service = topic.split('.')[0];
    super(`no reply to ${topic} within ${timeoutMs} ms: is the ${service} service running and consuming?`);
  }
}

export class InvalidReplyError extends Error {
  readonly code = 'INVALID_REPLY';
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over Kafka. Commands go to their command topic with a correlation id and a reply-to topic;
 * replies come back on `<service>.replies.v1`. Every instance of the requesting service reads that topic in
 * its own consumer group and keeps only the replies it is waiting for, so any instance may answer any
 * command and the requester needs no state beyond its own pending map.
 */
export class RequestClient {
  private consumer: Consumer | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly sender: CoalescingSender;
  readonly replyTopic: string;

  constructor(
    private readonly kafka: Kafka,
    /** A sender shared with the rest of the service, or the producer to build one on. */
    producer: Producer | CoalescingSender,
    private readonly service: string,
    private readonly instanceId: string,
  ) {
    this.replyTopic = replyTopic(service);
    // Commands made while one is being sent leave together in the next produce request.
    this.sender = producer instanceof CoalescingSender ? producer : new CoalescingSender(producer);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `${this.service}.replies.${this.instanceId}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      // Bounds how long stop() waits for an idle long-poll fetch to return (kafkajs's default is 5 s).
      maxWaitTimeInMs: 1000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    // Requests are only sent once this consumer owns the reply partitions, so no reply can be missed.
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.replyTopic], fromBeginning: false });
    await consumer.run({
      // Replies matter only to the requests waiting now; a restarted instance starts from the latest reply,
      // so committing reply offsets would only cost an OffsetCommit per fetched batch.
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const correlationId = headerValue(message.headers, HEADER.correlationId);
        if (!correlationId) return;
        const waiter = this.pending.get(correlationId);
        if (!waiter) return;
        this.pending.delete(correlationId);
        clearTimeout(waiter.timer);
        try {
          waiter.resolve(JSON.parse(message.value?.toString() ?? 'null'));
        } catch (err) {
          waiter.reject(new InvalidReplyError(`reply is not JSON: ${(err as Error).message}`));
        }
      },
    });
    await joined;
    await this.pinToEnd(consumer);
  }

  /**
   * A new group starts at the end of the reply topic, but kafkajs looks that end up lazily, on its first
   * fetch after joining: a reply written before the lookup (a fast answer to the first request) would land
   * behind the position and be skipped, and its request would time out. The end offsets read here, before
   * any request leaves, are at or before every reply to come; seeking there fixes the position now.
   */
  private async pinToEnd(consumer: Consumer): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const { partition, high } of await endOffsets(admin, this.replyTopic))
        consumer.seek({ topic: this.replyTopic, partition, offset: high });
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('request client stopped before the reply came'));
      this.pending.delete(id);
    }
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** Sends `value` as the command and resolves with its validated reply, or rejects after `timeoutMs`. */
  async request<T, R>(contract: CommandContract<T, R>, value: T, timeoutMs = 5000): Promise<R> {
    if (!this.consumer) throw new Error('RequestClient.start() must be called before request()');
    const payload = validateMessage(contract, value);
    const correlationId = randomUUID();
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new RequestTimeoutError(contract.topic, timeoutMs));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
    });
    try {
      await this.sender.send(contract.topic, {
        key: contract.keyOf(payload),
        value: JSON.stringify(payload),
        headers: {
          [HEADER.messageId]: correlationId,
          [HEADER.correlationId]: correlationId,
          [HEADER.replyTo]: this.replyTopic,
          [HEADER.occurredAt]: new Date().toISOString(),
        },
      });
    } catch (err) {
      const waiter = this.pending.get(correlationId);
      if (waiter) clearTimeout(waiter.timer);
      this.pending.delete(correlationId);
      throw err;
    }
    const raw = await reply;
    const parsed = contract.replySchema.safeParse(raw);
    if (!parsed.success) throw new InvalidReplyError(`reply to ${contract.topic} does not match its schema`);
    return parsed.data;
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}

/**
 * The topic's end offsets. A topic created a moment ago may not have a leader for every partition yet
 * (NOT_LEADER_FOR_PARTITION, LEADER_NOT_AVAILABLE): such retriable answers are asked again, for up to 15 s.
 */
async function endOffsets(admin: Admin, topic: string): Promise<Array<{ partition: number; high: string }>> {
  const deadline = Date.now() + 15_000;
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || Date.now() + wait > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
