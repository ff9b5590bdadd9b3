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
