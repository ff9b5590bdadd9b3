import type { Admin } from 'kafkajs';
import type { z } from 'zod';
import { createKafka } from '@paylend/messaging';
import { eventually, freshDatabase, testBrokers } from '@paylend/testing';
import type { ServiceDefinition } from '../bootstrap';
import { startTestService } from './service-harness';

/**
 * The skeleton contract every app's integration test checks: it boots against the real broker and its own
 * database, reports live and ready, consumes the example event through outbox -> Kafka -> inbox, and stops
 * cleanly (readiness off, consumer out of its group, connections closed).
 */
export function describeServiceLifecycle<S extends z.ZodObject>(
  def: ServiceDefinition<S>,
  migrations: string[],
) {
  describe(`${def.service} service lifecycle`, () => {
    let admin: Admin;
    beforeAll(async () => {
      admin = createKafka({ brokers: testBrokers(), clientId: `${def.service}-lifecycle-test` }).admin();
      await admin.connect();
    });
    afterAll(() => admin.disconnect());

    it('boots, is live and ready, sees its own start event through Kafka, and stops cleanly', async () => {
      const db = await freshDatabase(def.service, migrations);
      const svc = await startTestService(def, db.url);
      try {
        const live = await fetch(`${svc.url}/health/live`);
        expect(live.status).toBe(200);
        const ready = await fetch(`${svc.url}/health/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({
          status: 'ready',
          checks: { database: 'ok', broker: 'ok', consumer: 'ok', shutdown: 'ok' },
        });
        const instance = svc.runtime.config.INSTANCE_ID;
        await eventually(
          'own start event consumed',
          async () => {
            const peers = (await (await fetch(`${svc.url}/peers`)).json()) as Array<{ instanceId: string }>;
            return peers.some((p) => p.instanceId === instance);
          },
          30_000,
        );
      } finally {
        await svc.stop();
        await db.drop();
      }
      await expect(fetch(`${svc.url}/health/live`)).rejects.toThrow();
      expect(svc.runtime.shuttingDown).toBe(true);
      await eventually('consumer left its group', async () => {
        const { groups } = await admin.describeGroups([def.service]);
        return !groups[0]!.members.some((m) => m.clientId.includes(svc.runtime.config.INSTANCE_ID));
      });
    });
  });
}
