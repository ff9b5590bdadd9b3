import { createKafka } from '@paylend/messaging';
import { eventually, testBrokers, uniqueName } from '@paylend/testing';
import { groupsPastBacklog } from './alone-in-groups';

/* Against the real broker: a backlog an earlier run left is skipped only for groups nobody is running. */
jest.setTimeout(60_000);

const kafka = createKafka({ brokers: testBrokers(), clientId: uniqueName('backlog-spec') });

test('groupsPastBacklog moves an idle group past its backlog and leaves a running group alone', async () => {
  const topic = uniqueName('backlog');
  const idle = uniqueName('idle-group');
  const running = uniqueName('running-group');
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: running });
  await admin.connect();
  await producer.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await producer.send({
      topic,
      messages: Array.from({ length: 7 }, (_, i) => ({ partition: i % 2, value: `left-${i}` })),
    });
    const atStart = [0, 1].map((partition) => ({ partition, offset: '0' }));
    await admin.setOffsets({ groupId: idle, topic, partitions: atStart });
    await admin.setOffsets({ groupId: running, topic, partitions: atStart });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    await eventually('the running group has its member', async () => {
      const [g] = (await admin.describeGroups([running])).groups;
      return g?.state === 'Stable' && g.members.length === 1;
    });

    expect(await groupsPastBacklog([idle, running])).toEqual([idle]);

    const committed = async (groupId: string) =>
      ((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [])
        .map((p) => ({ partition: p.partition, offset: p.offset }))
        .sort((a, b) => a.partition - b.partition);
    expect(await committed(idle)).toEqual([
      { partition: 0, offset: '4' },
      { partition: 1, offset: '3' },
    ]);
    expect(await committed(running)).toEqual(atStart);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
