import { BaseRpcContext, type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { PoolClient } from 'pg';
import { lastValueFrom } from 'rxjs';
import type { MessageContract } from '@paylend/contracts';
import { InboxConsumer, type InboundMessage, type MessageHandler } from '@paylend/messaging';
import type { ServiceRuntime } from '../runtime/service-runtime';

/** What a Kafka handler gets besides the validated payload: the message and the inbox transaction. */
export class InboxContext extends BaseRpcContext<[InboundMessage, PoolClient]> {
  get message(): InboundMessage {
    return this.args[0];
  }
  /** The transaction the inbox record commits in: write the handler's effect on it. */
  get tx(): PoolClient {
    return this.args[1];
  }
}

/**
 * What a set-based handler gets (`@MessagePattern(topic, { batch: true })`): the messages, in order, and the
 * inbox transaction. Its `@Payload()` is the array of validated values; it returns one reply per value.
 */
export class InboxBatchContext extends BaseRpcContext<[InboundMessage[], PoolClient]> {
  get messages(): InboundMessage[] {
    return this.args[0];
  }
  get tx(): PoolClient {
    return this.args[1];
  }
}

/**
 * A Nest microservice transport over PayLend's messaging guarantees. Handlers are ordinary
 * `@EventPattern(topic)` / `@MessagePattern(topic)` methods; each message is validated against its
 * contract, applied in one database transaction with its inbox record, retried with backoff, dead-lettered
 * when it keeps failing, answered (commands), and only then has its offset committed.
 */
export class InboxTransport extends Server implements CustomTransportStrategy {
  private consumer: InboxConsumer | undefined;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly contracts: MessageContract[],
  ) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const byTopic = new Map(this.contracts.map((c) => [c.topic, c]));
      const handlers: MessageHandler[] = [];
      for (const [pattern, nestHandler] of this.messageHandlers) {
        const contract = byTopic.get(pattern);
        if (!contract)
          throw new Error(`handler for ${pattern} has no contract: add it to the service's contracts`);
        const run = async (payload: unknown, ctx: BaseRpcContext) =>
          lastValueFrom(this.transformToObservable(await nestHandler(payload, ctx)), {
            defaultValue: undefined,
          });
        if ((nestHandler.extras as { batch?: boolean } | undefined)?.batch) {
          // A set-based handler: in batch mode the inbox hands it whole chunks, else one message at a time.
          const many = async (messages: InboundMessage[], tx: PoolClient): Promise<unknown[]> => {
            const out = await run(
              messages.map((m) => m.value),
              new InboxBatchContext([messages, tx]),
            );
            if (!Array.isArray(out)) throw new Error(`batch handler for ${pattern} must return an array`);
            return out;
          };
          handlers.push({
            contract,
            handleMany: many,
            handle: async (message, tx) => (await many([message], tx))[0],
          });
        } else {
          handlers.push({
            contract,
            handle: (message, tx) => run(message.value, new InboxContext([message, tx])),
          });
        }
      }
      if (handlers.length > 0) {
        this.consumer = new InboxConsumer({
          kafka: this.runtime.kafka,
          pool: this.runtime.pool,
          producer: this.runtime.producer,
          groupId: this.runtime.config.service,
          handlers,
          ...(this.runtime.spec.inbox?.maxBatch ? { maxBatch: this.runtime.spec.inbox.maxBatch } : {}),
          ...(this.runtime.spec.inbox?.partitionsConcurrently
            ? { partitionsConcurrently: this.runtime.spec.inbox.partitionsConcurrently }
            : {}),
          log: this.runtime.log,
          failureReply: (err) => ({
            ok: false,
            error: {
              code: 'INTERNAL',
              message: `the ${this.runtime.config.service} service could not process the request: ${err.message}`,
            },
          }),
        });
        await this.consumer.start();
      }
      this.runtime.consumerStarted = true;
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Stops fetching; the message in hand finishes and commits before the consumer leaves its group. */
  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error('InboxTransport does not emit events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  get consumedTopics(): string[] {
    return [...this.messageHandlers.keys()];
  }
}
