import { Pool } from 'pg';
import { z } from 'zod';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { defineCommand, defineEvent, dlqTopic, replyEnvelope, replyTopic } from '@paylend/contracts';
import { eventually, freshDatabase, testBrokers, uniqueName, type TestDatabase } from '@paylend/testing';
import { createKafka } from './kafka/kafka-client';
import { ensureTopics } from './kafka/topology';
import { enqueue } from './outbox/outbox-writer';
import { OutboxRelay } from './outbox/outbox-relay';
import { InboxConsumer, type MessageHandler } from './inbox/inbox-consumer';
import { RequestClient, RequestTimeoutError } from './request-reply/request-client';
import { HEADER } from './kafka/headers';

const brokers = testBrokers();
let db: TestDatabase;
let pool: Pool;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const closers: Array<() => Promise<unknown>> = [];

const Credited = (ctx: string) =>
  defineEvent({
    context: ctx,
    entity: 'account',
    event: 'credited',
    version: 1,
    schema: z.object({ account: z.string(), amount: z.string(), seq: z.number().int() }).strict(),
    key: (v) => v.account,
  });

/** The effect a consumer applies: one row per message it handled, so a duplicate effect is visible. */
function recordingHandler(
  contract: ReturnType<typeof Credited>,
  opts: { failTimes?: number } = {},
): MessageHandler {
  let failures = 0;
  return {
    contract: contract as MessageHandler['contract'],
    async handle(msg, tx) {
      if (failures < (opts.failTimes ?? 0)) {
        failures++;
        throw new Error(`simulated failure ${failures}`);
      }
      const v = msg.value as { account: string; amount: string; seq: number };
      await tx.query('INSERT INTO effects (topic, account, amount, seq) VALUES ($1, $2, $3::numeric, $4)', [
        msg.topic,
        v.account,
        v.amount,
        v.seq,
      ]);
      return undefined;
    },
  };
}

async function effects(topic: string): Promise<Array<{ account: string; amount: string; seq: number }>> {
  const { rows } = await pool.query(
    'SELECT account, amount::text AS amount, seq FROM effects WHERE topic = $1 ORDER BY id',
    [topic],
  );
  return rows;
}

async function startConsumer(
  groupId: string,
  handlers: MessageHandler[],
  extra = {},
): Promise<InboxConsumer> {
  const c = new InboxConsumer({
    kafka,
    pool,
    producer,
    groupId,
    handlers,
    retry: { attempts: 3, initialBackoffMs: 50, maxBackoffMs: 200 },
    ...extra,
  });
  await c.start();
  closers.push(() => c.stop());
  return c;
}

beforeAll(async () => {
  db = await freshDatabase('messaging', ['libs/messaging/migrations']);
  pool = new Pool({ connectionString: db.url, max: 8 });
  await pool.query(
    'CREATE TABLE effects (id bigserial primary key, topic text, account text, amount numeric, seq int)',
  );
  kafka = createKafka({ brokers, clientId: 'messaging-int' });
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

describe('topology', () => {
  it('creates topics and their dead-letter topics with the documented partition count; no auto-creation', async () => {
    const topic = Credited(uniqueName('topo')).topic;
    const created = await ensureTopics(admin, { topics: [topic], consumed: [topic], partitions: 3 });
    expect(created.sort()).toEqual([dlqTopic(topic), topic].sort());
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]!.partitions).toHaveLength(3);
    expect(await ensureTopics(admin, { topics: [topic], consumed: [topic] })).toEqual([]);

    const missing = `${uniqueName('nope')}.x.y.v1`;
    const lonely = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1 } });
    await lonely.connect();
    await expect(lonely.send({ topic: missing, messages: [{ value: 'x' }] })).rejects.toThrow();
    await lonely.disconnect();
    expect(await admin.listTopics()).not.toContain(missing);
  });
});

describe('transactional outbox', () => {
  it('writes the event only when the change commits', async () => {
    const contract = Credited(uniqueName('obx'));
    const client = await pool.connect();
    await client.query('BEGIN');
    await enqueue(client, contract, { account: 'a1', amount: '1.00', seq: 1 });
    await client.query('ROLLBACK');
    client.release();
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM messaging.outbox WHERE topic = $1', [
      contract.topic,
    ]);
    expect(rows[0].n).toBe(0);
    await expect(
      enqueue(pool as never, contract, { account: 'a1', amount: 1 as unknown as string, seq: 1 }),
    ).rejects.toThrow(/amount/);
  });

  it('survives a relay crash between publish and mark: published at least once, applied once', async () => {
    const contract = Credited(uniqueName('crash'));
    await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
    const client = await pool.connect();
    await client.query('BEGIN');
    for (let i = 1; i <= 5; i++)
      await enqueue(client, contract, { account: `acct-${i % 2}`, amount: `${i}.00`, seq: i });
    await client.query('COMMIT');
    client.release();

    const crashing = new OutboxRelay({
      pool,
      producer,
      afterPublish: async () => {
        throw new Error('relay killed after publish, before marking');
      },
    });
    await expect(crashing.drainOnce()).rejects.toThrow(/killed/);
    const unpublished = await pool.query(
      'SELECT count(*)::int AS n FROM messaging.outbox WHERE topic = $1 AND published_at IS NULL',
      [contract.topic],
    );
    expect(unpublished.rows[0].n).toBe(5);

    const restarted = new OutboxRelay({ pool, producer, pollIntervalMs: 100 });
    restarted.start();
    closers.push(() => restarted.stop());
    await eventually('outbox drained', async () => {
      const r = await pool.query(
        'SELECT count(*)::int AS n FROM messaging.outbox WHERE topic = $1 AND published_at IS NULL',
        [contract.topic],
      );
      return r.rows[0].n === 0;
    });

    const consumer = await startConsumer(uniqueName('g'), [recordingHandler(contract)]);
    await eventually('10 deliveries seen', () => consumer.stats.applied + consumer.stats.duplicates === 10);
    const seen = await effects(contract.topic);
    expect(seen.map((e) => e.seq).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(consumer.stats.duplicates).toBe(5);
    // Per-key order: within one account, effects arrive in the order they were written.
    for (const acct of ['acct-0', 'acct-1']) {
      const seqs = seen.filter((e) => e.account === acct).map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('publishes each value exactly as written, whatever its characters', async () => {
    const contract = Credited(uniqueName('chars'));
    await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
    const awkward = ['quote " backslash \\ slash /', 'ü € 中文 😀 \u2028\u2029', 'tab\tnew\nline \u0001', ''];
    const written = awkward.map((account, i) => ({ account, amount: `${i}.50`, seq: i }));
    const client = await pool.connect();
    await client.query('BEGIN');
    for (const v of written) await enqueue(client, contract, v);
    await client.query('COMMIT');
    client.release();
    await new OutboxRelay({ pool, producer }).drainOnce();

    const raw: string[] = [];
    const reader = kafka.consumer({ groupId: uniqueName('raw') });
    await reader.connect();
    closers.push(() => reader.disconnect());
    await reader.subscribe({ topic: contract.topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void raw.push(message.value!.toString('utf8')) });
    await eventually('every value read back', () => raw.length === written.length);
    const read = raw.map((v) => JSON.parse(v) as { seq: number }).sort((a, b) => a.seq - b.seq);
    expect(read).toEqual(written);
  });
});

describe('idempotent inbox and offsets', () => {
  it('applies the same message delivered twice once', async () => {
    const contract = Credited(uniqueName('dup'));
    await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
    const message = {
      key: 'acct-9',
      value: JSON.stringify({ account: 'acct-9', amount: '5.00', seq: 1 }),
      headers: { [HEADER.messageId]: 'same-id-1' },
    };
    await producer.send({ topic: contract.topic, messages: [message, message] });
    const consumer = await startConsumer(uniqueName('g'), [recordingHandler(contract)]);
    await eventually(
      'both deliveries handled',
      () => consumer.stats.applied + consumer.stats.duplicates === 2,
    );
    expect(await effects(contract.topic)).toHaveLength(1);
    expect(consumer.stats).toMatchObject({ applied: 1, duplicates: 1 });
  });

  it('commits the offset only after the database commit: a crash in between redelivers, applied once', async () => {
    const contract = Credited(uniqueName('off'));
    await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
    const group = uniqueName('g');
    await producer.send({
      topic: contract.topic,
      messages: [
        {
          key: 'k',
          value: JSON.stringify({ account: 'k', amount: '7.10', seq: 1 }),
          headers: { [HEADER.messageId]: 'm-1' },
        },
      ],
    });
    let crashed = false;
    const first = await startConsumer(group, [recordingHandler(contract)], {
      afterDbCommit: async () => {
        crashed = true;
        // The process dies here: the effect is committed, the offset is not.
        throw new Error('crash after db commit');
      },
    });
    await eventually('first consumer applied and crashed', () => crashed && first.stats.applied === 1);
    await first.stop();
    closers.pop();
    expect(await effects(contract.topic)).toHaveLength(1);

    const second = await startConsumer(group, [recordingHandler(contract)]);
    await eventually('redelivered message seen as duplicate', () => second.stats.duplicates === 1);
    expect(await effects(contract.topic)).toHaveLength(1);
    // Offsets are committed in a flush shortly after the database commit.
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: group, topics: [contract.topic] }))[0]!.partitions
        .map((p) => Number(p.offset))
        .filter((o) => o > 0);
    await eventually('offset committed after the duplicate', async () => (await committed()).length > 0);
    expect(await committed()).toEqual([1]);
  });
});

describe('offset commits', () => {
  it('commits the offsets it held back when it stops, before leaving the group', async () => {
    const contract = Credited(uniqueName('lazy'));
    await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
    const group = uniqueName('g');
    await producer.send({
      topic: contract.topic,
      messages: Array.from({ length: 5 }, (_, i) => ({
        key: 'k',
        value: JSON.stringify({ account: 'k', amount: '1.00', seq: i + 1 }),
        headers: { [HEADER.messageId]: `lazy-${i}` },
      })),
    });
    // An interval far longer than the test: only the stop can have committed them.
    const consumer = await startConsumer(group, [recordingHandler(contract)], {
      offsetCommitIntervalMs: 600_000,
    });
    await eventually('all applied', () => consumer.stats.applied === 5);
    const before = await admin.fetchOffsets({ groupId: group, topics: [contract.topic] });
    expect(before[0]!.partitions.map((p) => Number(p.offset)).filter((o) => o > 0)).toEqual([]);
    await consumer.stop();
    closers.pop();
    const after = await admin.fetchOffsets({ groupId: group, topics: [contract.topic] });
    expect(after[0]!.partitions.map((p) => Number(p.offset)).filter((o) => o > 0)).toEqual([5]);
  });
});

describe('retries and dead letters', () => {
  it('retries with backoff, then dead-letters with the payload and the error, and moves on', async () => {
    const contract = Credited(uniqueName('dlq'));
    await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
    const poison = { account: 'p', amount: '1.00', seq: 1 };
    const good = { account: 'p', amount: '2.00', seq: 2 };
    await producer.send({
      topic: contract.topic,
      messages: [
        { key: 'p', value: JSON.stringify(poison), headers: { [HEADER.messageId]: 'poison' } },
        { key: 'p', value: JSON.stringify(good), headers: { [HEADER.messageId]: 'good' } },
        { key: 'p', value: '{"account":"p","amount":3}', headers: { [HEADER.messageId]: 'malformed' } },
      ],
    });
    const failing: MessageHandler = {
      contract: contract as MessageHandler['contract'],
      async handle(msg, tx) {
        if (msg.messageId === 'poison') throw new Error('cannot apply poison');
        return recordingHandler(contract).handle(msg, tx);
      },
    };
    const dlqMessages: Array<{ value: string; headers: Record<string, string> }> = [];
    const dlqReader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: dlqTopic(contract.topic), fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        dlqMessages.push({ value: message.value!.toString(), headers });
      },
    });
    closers.push(() => dlqReader.disconnect());

    const started = Date.now();
    const consumer = await startConsumer(uniqueName('g'), [failing]);
    await eventually('two dead letters', () => dlqMessages.length === 2);
    await eventually('good message applied', async () => (await effects(contract.topic)).length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50 + 100); // two backoffs before giving up
    expect(consumer.stats.retried).toBe(2);
    const byId = Object.fromEntries(dlqMessages.map((m) => [m.headers[HEADER.messageId], m]));
    expect(JSON.parse(byId['poison']!.value)).toEqual(poison);
    expect(byId['poison']!.headers[HEADER.error]).toMatch(/cannot apply poison/);
    expect(byId['poison']!.headers[HEADER.attempts]).toBe('3');
    expect(byId['malformed']!.headers[HEADER.errorCode]).toBe('CONTRACT_VIOLATION');
    expect(byId['malformed']!.headers[HEADER.attempts]).toBe('1');
    expect((await effects(contract.topic)).map((e) => e.amount)).toEqual(['2.00']);
  });
});

describe('stopping', () => {
  it('a message failing while its consumer stops is left for the next owner: no dead letter, no offset', async () => {
    const contract = Credited(uniqueName('stop'));
    await ensureTopics(admin, { topics: [contract.topic], consumed: [contract.topic] });
    const group = uniqueName('g');
    await producer.send({
      topic: contract.topic,
      messages: [
        {
          key: 's',
          value: JSON.stringify({ account: 's', amount: '4.00', seq: 1 }),
          headers: { [HEADER.messageId]: 'stop-1' },
        },
      ],
    });
    let calls = 0;
    const failingOnce: MessageHandler = {
      contract: contract as MessageHandler['contract'],
      async handle() {
        calls++;
        throw new Error('the pool is closing');
      },
    };
    // Backoffs far longer than the test: the stop comes while the first retry waits.
    const first = await startConsumer(group, [failingOnce], {
      retry: { attempts: 4, initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
    });
    await eventually('first attempt failed', () => calls === 1);
    const stopping = first.stop();
    closers.pop();
    await stopping;
    expect(calls).toBe(1);
    const committed = await admin.fetchOffsets({ groupId: group, topics: [contract.topic] });
    expect(committed[0]!.partitions.map((p) => Number(p.offset)).filter((o) => o > 0)).toEqual([]);
    const dead = await admin.fetchTopicOffsets(dlqTopic(contract.topic));
    expect(dead.map((p) => Number(p.high)).reduce((a, b) => a + b, 0)).toBe(0);

    const next = await startConsumer(group, [recordingHandler(contract)]);
    await eventually('the next owner applied it', () => next.stats.applied === 1);
    expect((await effects(contract.topic)).map((e) => e.amount)).toEqual(['4.00']);
  });
});

describe('request/reply', () => {
  const ctx = uniqueName('rr');
  const Echo = defineCommand({
    context: ctx,
    command: 'echo',
    version: 1,
    schema: z.object({ text: z.string() }).strict(),
    reply: replyEnvelope(z.object({ text: z.string(), handledBy: z.string() })),
    key: (v) => v.text,
  });

  it('answers a command through the replies topic and validates the request before sending', async () => {
    const service = uniqueName('caller');
    await ensureTopics(admin, { topics: [Echo.topic, replyTopic(service)], consumed: [Echo.topic] });
    let calls = 0;
    await startConsumer(uniqueName('echo'), [
      {
        contract: Echo as MessageHandler['contract'],
        async handle(msg) {
          calls++;
          return {
            ok: true,
            value: { text: (msg.value as { text: string }).text.toUpperCase(), handledBy: 'echo' },
          };
        },
      },
    ]);
    const client = new RequestClient(kafka, producer, service, 'i1');
    await client.start();
    closers.push(() => client.stop());
    const reply = await client.request(Echo, { text: 'hello' }, 15_000);
    expect(reply).toEqual({ ok: true, value: { text: 'HELLO', handledBy: 'echo' } });
    expect(calls).toBe(1);
    await expect(client.request(Echo, { text: 5 as unknown as string })).rejects.toThrow(/text/);
  });

  it('receives a reply that comes back at once after start(): the reply position is fixed before any request leaves', async () => {
    // A new reply group starts at the end of the topic, but kafkajs looks that end up on its first fetch; a
    // reply written before that lookup would be skipped. This "service" answers the moment a command is
    // sent, on the same producer, so the reply lands a round trip after start() returns.
    const service = uniqueName('eager');
    await ensureTopics(admin, { topics: [Echo.topic, replyTopic(service)] });
    const answering = {
      ...producer,
      async sendBatch(batch: Parameters<Producer['sendBatch']>[0]) {
        const sent = await producer.sendBatch(batch);
        const commands = (batch.topicMessages ?? []).flatMap((t) => t.messages);
        await producer.send({
          topic: replyTopic(service),
          messages: commands.map((m) => ({
            key: String(m.key),
            value: JSON.stringify({ ok: true, value: { text: 'AT ONCE', handledBy: 'eager' } }),
            headers: { [HEADER.correlationId]: String((m.headers ?? {})[HEADER.correlationId]) },
          })),
        });
        return sent;
      },
    } as Producer;
    for (let i = 0; i < 10; i++) {
      const client = new RequestClient(kafka, answering, service, `i${i}`);
      await client.start();
      closers.push(() => client.stop());
      const reply = await client.request(Echo, { text: `n${i}` }, 10_000);
      expect(reply).toEqual({ ok: true, value: { text: 'AT ONCE', handledBy: 'eager' } });
    }
  });

  it('fails with a clear error when no reply comes in time', async () => {
    const service = uniqueName('lonely');
    const Nobody = defineCommand({
      context: uniqueName('nobody'),
      command: 'listen',
      version: 1,
      schema: z.object({ n: z.number() }),
      reply: z.unknown(),
      key: () => 'k',
    });
    await ensureTopics(admin, { topics: [Nobody.topic, replyTopic(service)] });
    const client = new RequestClient(kafka, producer, service, 'i1');
    await client.start();
    closers.push(() => client.stop());
    const err = await client.request(Nobody, { n: 1 }, 500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toMatch(
      /no reply to .*listen\.cmd\.v1 within 500 ms: is the .* service running/,
    );
    expect(client.pendingCount).toBe(0);
  });
});
