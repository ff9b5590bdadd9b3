import { createKafka } from '@paylend/messaging';
import { eventually, testBrokers, uniqueName } from '@paylend/testing';

/**
 * Test helper: consumer groups are named after services, so another run's wallet or payments on the same
 * broker would take partitions and answer from its own database. Waits until each group has one member.
 */
export async function aloneInGroups(groups: string[], timeoutMs = 180_000): Promise<void> {
  const admin = createKafka({ brokers: testBrokers(), clientId: uniqueName('groups-check') }).admin();
  await admin.connect();
  try {
    await eventually(
      `no other instance in consumer groups ${groups.join(', ')} (another test run is using the broker)`,
      async () => {
        const described = await admin.describeGroups(groups);
        return described.groups.every((g) => g.state === 'Stable' && g.members.length === 1);
      },
      timeoutMs,
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Test helper, run before the services start: moves each group that has no running member past what it
 * left unconsumed on the partitions it has consumed before. The services about to start get fresh
 * databases, so whatever an earlier run left there on a reused broker (a killed run's commands and order
 * events) names wallets and orders they do not have: consumed, it would only be retried and dead-lettered
 * while the new run's requests wait behind it. A group with members belongs to a run still going, and is
 * left to `aloneInGroups` to report. Returns the groups it moved.
 */
export async function groupsPastBacklog(groups: string[]): Promise<string[]> {
  const kafka = createKafka({ brokers: testBrokers(), clientId: uniqueName('groups-reset') });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const idle = (await admin.describeGroups(groups)).groups.filter((g) => g.members.length === 0);
    if (idle.length === 0) return [];
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    // -1: the group has never consumed that partition (most topics are other services'); it is left as is.
    const committed = await Promise.all(
      idle.map(async ({ groupId }) => ({
        groupId,
        offsets: (await admin.fetchOffsets({ groupId, topics })).flatMap(({ topic, partitions }) =>
          partitions.filter((p) => p.offset !== '-1').map((p) => ({ topic, ...p })),
        ),
      })),
    );
    const ends = new Map(
      await Promise.all(
        [...new Set(committed.flatMap((g) => g.offsets.map((o) => o.topic)))].map(
          async (topic) =>
            [
              topic,
              new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high])),
            ] as const,
        ),
      ),
    );
    const moved: string[] = [];
    for (const { groupId, offsets } of committed) {
      const behind = offsets.flatMap(({ topic, partition, offset }) => {
        const end = ends.get(topic)?.get(partition) ?? '0';
        return BigInt(offset) < BigInt(end) ? [{ topic, partition, offset: end }] : [];
      });
      if (behind.length === 0) continue;
      await commitAsMember(kafka, groupId, behind);
      moved.push(groupId);
    }
    return moved;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Commits offsets for a group with no members by joining it once. kafkajs's `admin.setOffsets` does the
 * same for one topic per call and waits out a 5 s fetch each time; here one member commits them all.
 */
async function commitAsMember(
  kafka: ReturnType<typeof createKafka>,
  groupId: string,
  offsets: Array<{ topic: string; partition: number; offset: string }>,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set(offsets.map((o) => o.topic))] });
    // Nothing is resolved or committed by consuming: the fetched backlog is dropped with this member.
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    await consumer.commitOffsets(offsets);
  } finally {
    await consumer.disconnect();
  }
}
