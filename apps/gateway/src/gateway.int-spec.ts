import { describeServiceLifecycle, spawnService, startTestService } from '@paylend/platform/testing';
import { eventually, freshDatabase } from '@paylend/testing';
import { gatewayService } from './gateway.service';

describeServiceLifecycle(gatewayService, [
  'libs/messaging/migrations',
  'libs/gateway/data-access/prisma/migrations',
]);

describe('gateway and wallet over Kafka', () => {
  it("sees the wallet's start event and round-trips a ping to it; times out clearly when a service is down", async () => {
    const walletDb = await freshDatabase('wallet', [
      'libs/messaging/migrations',
      'libs/ledger/prisma/migrations',
      'libs/wallet/data-access/prisma/migrations',
      'libs/settlement/prisma/migrations',
    ]);
    const gatewayDb = await freshDatabase('gateway', [
      'libs/messaging/migrations',
      'libs/gateway/data-access/prisma/migrations',
    ]);
    const gateway = await startTestService(gatewayService, gatewayDb.url);
    const wallet = await spawnService('wallet', { WALLET_DATABASE_URL: walletDb.url });
    try {
      await eventually(
        'gateway consumed the wallet start event',
        async () => {
          const peers = (await (await fetch(`${gateway.url}/peers`)).json()) as Array<{ instanceId: string }>;
          return peers.some((p) => p.instanceId === wallet.instanceId);
        },
        30_000,
      );
      const pong = await fetch(`${gateway.url}/v1/platform/ping/wallet`);
      expect(pong.status).toBe(200);
      expect(await pong.json()).toMatchObject({ service: 'wallet' });

      const unknown = await fetch(`${gateway.url}/v1/platform/ping/bank`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: 'UNKNOWN_SERVICE' });
    } finally {
      expect(await wallet.terminate('SIGTERM')).toBe(0);
      expect(wallet.lines.some((l) => l.includes('"msg":"stopped cleanly"'))).toBe(true);
    }
    try {
      // The wallet has left and no other wallet runs in a test environment: the request must time out.
      const timedOut = await fetch(`${gateway.url}/v1/platform/ping/wallet`);
      expect(timedOut.status).toBe(504);
      expect(await timedOut.json()).toMatchObject({
        code: 'REQUEST_TIMEOUT',
        message: expect.stringMatching(/is the wallet service running/),
      });
    } finally {
      await gateway.stop();
      await walletDb.drop();
      await gatewayDb.drop();
    }
  });
});
