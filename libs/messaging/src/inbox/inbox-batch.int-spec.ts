import { Pool } from 'pg';
import { z } from 'zod';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { defineEvent, dlqTopic } from '@paylend/contracts';
import { eventually, freshDatabase, testBrokers, uniqueName, type TestDatabase } from '@paylend/testing';
import { createKafka } from '../kafka/kafka-client';
import { ensureTopics } from '../kafka/topology';
import { HEADER } from '../kafka/headers';
import { InboxConsumer, type MessageHandler } from './inbox-consumer';

/* Batch mode (maxBatch > 1): chunks of a partition share a transaction; order, once-only and dead letters hold. */

let db: TestDatabase;
let pool: Pool;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const closers: Array<() => Promise<unknown>> = [];

const Seq = (ctx: string) =>
  defineEvent({
    context: ctx,
    entity: 'counter',
    event: 'bumped',
    version: 1,
    schema: z.object({ key: z.string(), seq: z.number().int() }).strict(),
    key: (v) => v.key,
  });

beforeAll(async () => {
  db = await freshDatabase('inbox_batch', ['libs/messaging/migrations']);
  pool = new Pool({ connectionString: db.url, max: 8 });
  await pool.query('CREATE TABLE effects (id bigserial primary key, topic text, key text, seq int)');
  kafka = createKafka({ brokers: testBrokers(), clientId: 'inbox-batch-int' });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
});
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
  await pool.end();
  await db.drop();
});

async function effects(topic: string): Promise<Array<{ key: string; seq: number }>> {
  return (await pool.query('SELECT key, seq FROM effects WHERE topic = $1 ORDER BY id', [topic])).rows;
}

function handler(
  contract: ReturnType<typeof Seq>,
  opts: {
    poison?: number;
    /** `failures`: how many of its first calls the set-based handler fails, after writing. */
    many?: { calls: number; failures?: number };
    /** Counts the one-message handler's calls. */
    one?: { calls: number };
  } = {},
): MessageHandler {
  const apply = async (msg: { topic: string; value: unknown }, tx: import('pg').PoolClient) => {
    const v = msg.value as { key: string; seq: number };
    if (v.seq === opts.poison) throw new Error(`poison ${v.seq}`);
    await tx.query('INSERT INTO effects (topic, key, seq) VALUES ($1, $2, $3)', [msg.topic, v.key, v.seq]);
  };
  const h: MessageHandler = {
    contract: contract as MessageHandler['contract'],
    handle: (m, tx) => {
      if (opts.one) opts.one.calls++;
      return apply(m, tx);
    },
  };
  if (opts.many) {
    const many = opts.many;
    h.handleMany = async (messages, tx) => {
      many.calls++;
      for (const m of messages) await apply(m, tx);
      if ((many.failures ?? 0) > 0) {
        many.failures!--;
        throw new Error('set-based handler failed after writing');
      }
      return messages.map(() => undefined);
    };
  }
  return h;
}

async function start(groupId: string, handlers: MessageHandler[]) {
  const c = new InboxConsumer({
    kafka,
    pool,
    producer,
    groupId,
    handlers,
    maxBatch: 50,
    partitionsConcurrently: 3,
    retry: { attempts: 2, initialBackoffMs: 20, maxBackoffMs: 50 },
  });
  await c.start();
  closers.push(() => c.stop());
  return c;
}

async function publish(topic: string, keys: string[], perKey: number, opts: { duplicateSeq?: number } = {}) {
  const messages = [];
  for (let seq = 1; seq <= perKey; seq++) {
    for (const key of keys) {
      const m = {
        key,
        value: JSON.stringify({ key, seq }),
        headers: { [HEADER.messageId]: `${key}-${seq}` },
      };
      messages.push(m);
      if (seq === opts.duplicateSeq) messages.push(m);
    }
  }
  await producer.send({ topic, messages });
}

it('applies every message once and per key in order, with duplicates in a chunk seen as duplicates', async () => {
  const contract = Seq(uniqueName('bat'));
  await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
  await publish(contract.topic, ['a', 'b', 'c', 'd'], 60, { duplicateSeq: 7 });
  const consumer = await start(uniqueName('g'), [handler(contract)]);
  await eventually(
    'all applied',
    () => consumer.stats.applied + consumer.stats.duplicates === 4 * 61,
    30_000,
  );
  const rows = await effects(contract.topic);
  expect(rows).toHaveLength(240);
  for (const key of ['a', 'b', 'c', 'd']) {
    expect(rows.filter((r) => r.key === key).map((r) => r.seq)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
  }
  expect(consumer.stats.duplicates).toBe(4);
});

it('a message that throws ends its chunk: the ones before commit, it is retried alone and dead-lettered, the rest follow in order', async () => {
  const contract = Seq(uniqueName('poi'));
  await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
  await publish(contract.topic, ['p'], 30);
  const dead: string[] = [];
  const reader = kafka.consumer({ groupId: uniqueName('dlq') });
  await reader.connect();
  await reader.subscribe({ topic: dlqTopic(contract.topic), fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void dead.push(message.value!.toString()) });
  closers.push(() => reader.disconnect());
  await start(uniqueName('g'), [handler(contract, { poison: 13 })]);
  await eventually(
    '29 applied and one dead letter',
    async () => (await effects(contract.topic)).length === 29 && dead.length === 1,
    30_000,
  );
  expect((await effects(contract.topic)).map((r) => r.seq)).toEqual(
    Array.from({ length: 30 }, (_, i) => i + 1).filter((s) => s !== 13),
  );
  expect(JSON.parse(dead[0]!)).toEqual({ key: 'p', seq: 13 });
});

it('uses the set-based handler, and when it throws rolls its writes back and applies the chunk one by one', async () => {
  const contract = Seq(uniqueName('many'));
  await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
  await publish(contract.topic, ['m'], 40);
  // The first chunk's set-based handler fails twice: at once (the whole chunk rolls back) and again in the
  // chunk's second pass (its savepoint rolls back), which then applies that chunk one message at a time.
  const many = { calls: 0, failures: 2 };
  const one = { calls: 0 };
  const consumer = await start(uniqueName('g'), [handler(contract, { many, one })]);
  await eventually('all applied', () => consumer.stats.applied === 40, 30_000);
  // Each message's effect once: the failed passes' writes were rolled back.
  expect((await effects(contract.topic)).map((r) => r.seq)).toEqual(
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  expect(many.calls).toBeGreaterThanOrEqual(2);
  expect(many.failures).toBe(0);
  expect(one.calls).toBeGreaterThan(1);
});

it('a message another consumer records while the chunk runs is not applied twice: the chunk rolls back and it is seen as a duplicate', async () => {
  const contract = Seq(uniqueName('race'));
  await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
  const groupId = uniqueName('g');
  const h = handler(contract);
  let raced = false;
  const handle = h.handle;
  h.handle = async (m, tx) => {
    if (!raced && (m.value as { seq: number }).seq === 3) {
      raced = true;
      // Another member of the group (a rebalance) applied message 3 and committed its inbox record.
      await pool.query('INSERT INTO messaging.inbox (consumer, message_id, topic) VALUES ($1, $2, $3)', [
        groupId,
        m.messageId,
        m.topic,
      ]);
    }
    return handle(m, tx);
  };
  const consumer = await start(groupId, [h]);
  await publish(contract.topic, ['r'], 6);
  await eventually('all handled', () => consumer.stats.applied + consumer.stats.duplicates === 6, 30_000);
  expect(raced).toBe(true);
  // Our write of message 3 rolled back with the chunk; the other consumer owns its effect.
  expect((await effects(contract.topic)).map((r) => r.seq)).toEqual([1, 2, 4, 5, 6]);
  expect(consumer.stats).toMatchObject({ applied: 5, duplicates: 1, deadLettered: 0 });
});
