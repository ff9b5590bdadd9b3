import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { MessageContract } from '@paylend/contracts';
import { createKafka, ensureTopics, HEADER, RequestClient } from '@paylend/messaging';

/**
 * Another service as the scoring service sees it over the real broker: a requester (lending's request
 * client, replies on `lending.replies.v1`) and a producer of the events scoring consumes. Used by the
 * integration tests and the benchmark; never a mock of Kafka.
 */
export class KafkaPeer {
  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
    readonly requests: RequestClient,
  ) {}

  static async start(brokers: string[], as: 'lending' | 'gateway' = 'lending'): Promise<KafkaPeer> {
    const instance = `peer-${randomUUID().slice(0, 8)}`;
    const kafka = createKafka({ brokers, clientId: `${as}-${instance}` });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, { topics: [`${as}.replies.v1`] });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const requests = new RequestClient(kafka, producer, as, instance);
    await requests.start();
    return new KafkaPeer(kafka, admin, producer, requests);
  }

  /** Publishes an event as its producer's outbox relay would; pass a messageId to replay a delivery. */
  async publish<T>(
    contract: MessageContract<T>,
    value: T,
    messageId: string = randomUUID(),
  ): Promise<string> {
    await this.producer.send({
      topic: contract.topic,
      messages: [
        {
          key: contract.keyOf(value),
          value: JSON.stringify(contract.schema.parse(value)),
          headers: { [HEADER.messageId]: messageId, [HEADER.occurredAt]: new Date().toISOString() },
        },
      ],
    });
    return messageId;
  }

  async stop(): Promise<void> {
    await this.requests.stop().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
