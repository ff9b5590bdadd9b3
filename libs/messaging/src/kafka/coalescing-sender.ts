import type { Message, Producer } from 'kafkajs';

interface Outgoing {
  topic: string;
  message: Message;
  sent(err?: Error): void;
}

/**
 * Messages sent while a send is in flight leave together in the next one. The idempotent producer allows
 * one request in flight per broker, so sending each message alone would cap a busy sender at one produce
 * round trip per message (and each request costs the broker about as much as a batch does). When idle, a
 * message leaves at once. Each caller's promise settles with the batch its message went in.
 */
export class CoalescingSender {
  private outgoing: Outgoing[] = [];
  private sending = false;

  constructor(
    private readonly producer: Producer,
    private readonly maxBatch = 500,
  ) {}

  send(topic: string, message: Message): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.outgoing.push({ topic, message, sent: (err) => (err ? reject(err) : resolve()) });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outgoing.length > 0) {
        const batch = this.outgoing.splice(0, this.maxBatch);
        const byTopic = new Map<string, Message[]>();
        for (const o of batch) {
          const messages = byTopic.get(o.topic);
          if (messages) messages.push(o.message);
          else byTopic.set(o.topic, [o.message]);
        }
        try {
          await this.producer.sendBatch({
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          });
          for (const o of batch) o.sent();
        } catch (err) {
          for (const o of batch) o.sent(err instanceof Error ? err : new Error(String(err)));
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
