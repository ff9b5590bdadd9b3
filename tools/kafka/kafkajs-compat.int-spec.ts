// Proves that kafkajs 2.2.4 (unmaintained since 2023) works against the broker that tools/kafka/kafka.mjs runs
// (Kafka 3.9.x; 4.x dropped the protocol versions kafkajs speaks, KIP-896). Needs a running broker:
// `npm run kafka -- start`, then `npx jest -c tools/jest.int.config.cjs`.
import { randomUUID } from 'node:crypto';
import {
  Admin,
  Consumer,
  ConsumerGroupJoinEvent,
  EachMessagePayload,
  Kafka,
  Partitioners,
  Producer,
  logLevel,
} from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const runId = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
const kafka = new Kafka({ clientId: `kafkajs-compat-${runId}`, brokers, logLevel: logLevel.NOTHING });

const topicsCreated: string[] = [];
const groupsUsed: string[] = [];
const clients: Array<Producer | Consumer | Admin> = [];
let admin: Admin;

interface Received {
  consumer: string;
  partition: number;
  offset: string;
  key: string;
  id: string;
  seq: number;
}

function name(kind: string): string {
  return `compat.${kind}.${runId}`;
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function createTopic(kind: string, numPartitions: number): Promise<string> {
  const topic = name(kind);
  await expect(
    admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true }),
  ).resolves.toBe(true);
  topicsCreated.push(topic);
  return topic;
}

async function connectedProducer(retries = 5): Promise<Producer> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries, initialRetryTime: 100 },
  });
  clients.push(producer);
  await producer.connect();
  return producer;
}

/** A consumer that commits each message's offset, then records the message. */
async function recordingConsumer(
  label: string,
  groupId: string,
  topic: string,
  sink: Received[],
  assignments?: Map<string, number[]>,
): Promise<Consumer> {
  if (!groupsUsed.includes(groupId)) groupsUsed.push(groupId);
  // kafkajs heartbeats (and so learns of a rebalance) only between fetches: keep the fetch wait short.
  const consumer = kafka.consumer({
    groupId,
    heartbeatInterval: 500,
    sessionTimeout: 10_000,
    rebalanceTimeout: 20_000,
    maxWaitTimeInMs: 250,
  });
  clients.push(consumer);
  consumer.on(consumer.events.GROUP_JOIN, (e: ConsumerGroupJoinEvent) => {
    assignments?.set(
      label,
      [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b),
    );
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: t, partition, message }: EachMessagePayload) => {
      const body = JSON.parse(message.value!.toString()) as { id: string; seq: number };
      await consumer.commitOffsets([
        { topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() },
      ]);
      // Recorded only once committed, so "received" below also means "committed".
      sink.push({
        consumer: label,
        partition,
        offset: message.offset,
        key: message.key!.toString(),
        id: body.id,
        seq: body.seq,
      });
    },
  });
  return consumer;
}

async function disconnect(client: Producer | Consumer | Admin): Promise<void> {
  await client.disconnect();
  clients.splice(clients.indexOf(client), 1);
}

/** `perKey` messages for each key, value {id, seq} with seq counting up per key from `firstSeq`. */
function keyedBatch(keys: string[], perKey: number, firstSeq = 0): Array<{ key: string; value: string }> {
  const messages: Array<{ key: string; value: string }> = [];
  for (let seq = firstSeq; seq < firstSeq + perKey; seq++) {
    for (const key of keys) messages.push({ key, value: JSON.stringify({ id: `${key}#${seq}`, seq }) });
  }
  return messages;
}

function expectPerKeyOrder(received: Received[], keys: string[], expectedSeqs: number[]): void {
  for (const key of keys) {
    const ofKey = received.filter((r) => r.key === key);
    expect(ofKey.map((r) => r.seq)).toEqual(expectedSeqs);
    expect(new Set(ofKey.map((r) => r.partition)).size).toBe(1);
  }
}

beforeAll(async () => {
  admin = kafka.admin();
  clients.push(admin);
  await admin.connect();
});

afterAll(async () => {
  for (const client of [...clients].reverse()) {
    if (client !== admin) await client.disconnect().catch(() => undefined);
  }
  if (groupsUsed.length) await admin.deleteGroups(groupsUsed).catch(() => undefined);
  if (topicsCreated.length) await admin.deleteTopics({ topics: topicsCreated });
  await admin.disconnect();
});

describe('kafkajs 2.2.4 against the real broker', () => {
  it('reaches a single-node cluster that does not auto-create topics', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    expect(cluster.controller).not.toBeNull();

    const config = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: 4 /* BROKER */,
          name: String(cluster.brokers[0]!.nodeId),
          configNames: ['auto.create.topics.enable', 'num.partitions'],
        },
      ],
    });
    const entries = Object.fromEntries(
      config.resources[0]!.configEntries.map((c) => [c.configName, c.configValue]),
    );
    expect(entries).toEqual({ 'auto.create.topics.enable': 'false', 'num.partitions': '3' });
  });

  it('creates a topic with the admin client, and refuses to produce to a topic nobody created', async () => {
    const topic = await createTopic('created', 3);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]!.partitions).toHaveLength(3);

    const missing = name('missing');
    const producer = await connectedProducer(1);
    await expect(producer.send({ topic: missing, messages: [{ key: 'k', value: 'v' }] })).rejects.toThrow(
      /does not host this topic-partition|UNKNOWN_TOPIC_OR_PARTITION|retries/i,
    );
    expect(await admin.listTopics()).not.toContain(missing);
    expect(await admin.listTopics()).toContain(topic);
    await disconnect(producer);
  });

  it('delivers keyed messages in per-key order to a group, commits offsets, and a new member resumes after them', async () => {
    const topic = await createTopic('ordered', 3);
    const groupId = name('ordered-group');
    const keys = ['wallet-a', 'wallet-b', 'wallet-c', 'wallet-d', 'wallet-e', 'wallet-f'];
    const producer = await connectedProducer();

    const first = keyedBatch(keys, 20);
    const sent = await producer.send({ topic, acks: -1, messages: first });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.errorCode === 0)).toBe(true);

    const received: Received[] = [];
    const consumer = await recordingConsumer('c1', groupId, topic, received);
    await waitFor(`${first.length} messages`, () => received.length >= first.length);
    expect(received).toHaveLength(first.length);
    expectPerKeyOrder(received, keys, [...Array(20).keys()]);
    expect(new Set(received.map((r) => r.partition)).size).toBeGreaterThan(1);

    // Every partition's committed offset is its end: the group has consumed everything it read.
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions;
    for (const end of ends) {
      const offset = committed.find((c) => c.partition === end.partition)?.offset;
      expect(offset === '-1' ? '0' : offset).toBe(end.high); // -1: nothing committed on a partition no key hashed to
    }
    await disconnect(consumer);

    const second = keyedBatch(keys, 5, 20);
    await producer.send({ topic, acks: -1, messages: second });
    const resumed: Received[] = [];
    const next = await recordingConsumer('c2', groupId, topic, resumed);
    await waitFor(`${second.length} new messages`, () => resumed.length >= second.length);
    await new Promise((r) => setTimeout(r, 1000)); // room for a wrongly re-read old message to show up
    expect(resumed).toHaveLength(second.length);
    expectPerKeyOrder(resumed, keys, [20, 21, 22, 23, 24]);
    await disconnect(next);
    await disconnect(producer);
  });

  it('splits partitions between two members after a rebalance and consumes every message exactly once', async () => {
    const topic = await createTopic('rebalance', 4);
    const groupId = name('rebalance-group');
    const keys = Array.from({ length: 16 }, (_, i) => `loan-${i}`);
    const producer = await connectedProducer();
    const received: Received[] = [];
    const assignments = new Map<string, number[]>();

    // One member alone owns all four partitions and drains the first batch.
    const before = keyedBatch(keys, 10);
    await producer.send({ topic, acks: -1, messages: before });
    const a = await recordingConsumer('a', groupId, topic, received, assignments);
    await waitFor('member a to drain the first batch', () => received.length >= before.length);
    expect(assignments.get('a')).toEqual([0, 1, 2, 3]);

    // A second member joins: the group rebalances and the partitions are split between the two.
    const b = await recordingConsumer('b', groupId, topic, received, assignments);
    await waitFor('the rebalance to split the partitions', () => {
      const pa = assignments.get('a') ?? [];
      const pb = assignments.get('b') ?? [];
      return pa.length > 0 && pb.length > 0 && pa.length + pb.length === 4;
    });
    const pa = assignments.get('a')!;
    const pb = assignments.get('b')!;
    expect([...pa, ...pb].sort()).toEqual([0, 1, 2, 3]);

    const after = keyedBatch(keys, 10, 10);
    await producer.send({ topic, acks: -1, messages: after });
    const total = before.length + after.length;
    await waitFor(`${total} messages across both members`, () => received.length >= total);
    await new Promise((r) => setTimeout(r, 1000)); // room for a duplicate to show up

    const ids = received.map((r) => r.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(new Set(ids)).toEqual(
      new Set([...before, ...after].map((m) => (JSON.parse(m.value) as { id: string }).id)),
    );

    // After the rebalance each member reads only its own partitions, and both got some work.
    const afterRebalance = received.slice(before.length);
    for (const r of afterRebalance) expect(r.consumer === 'a' ? pa : pb).toContain(r.partition);
    expect(afterRebalance.some((r) => r.consumer === 'a')).toBe(true);
    expect(afterRebalance.some((r) => r.consumer === 'b')).toBe(true);
    expectPerKeyOrder(received, keys, [...Array(20).keys()]);

    await disconnect(b);
    await disconnect(a);
    await disconnect(producer);
  });
});
