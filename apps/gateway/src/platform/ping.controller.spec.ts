import type { RequestClient } from '@paylend/messaging';
import { RateLimiter } from '../rate-limit/token-bucket';
import { PingController } from './ping.controller';

describe('PingController', () => {
  it('rate-limits pings by client address, before anything is sent to a backend', async () => {
    let sent = 0;
    const requests = {
      request: async () => {
        sent++;
        return { ok: true, value: { service: 'wallet' } };
      },
    } as unknown as RequestClient;
    const clock = { t: 0 };
    const ping = new PingController(requests, new RateLimiter(60, 2, () => clock.t));
    await ping.ping('wallet', '10.0.0.1');
    await ping.ping('wallet', '10.0.0.1');
    await expect(ping.ping('wallet', '10.0.0.1')).rejects.toMatchObject({ status: 429 });
    // Another address has its own bucket; a second later the first has a token again.
    await ping.ping('wallet', '10.0.0.2');
    clock.t += 1000;
    await ping.ping('wallet', '10.0.0.1');
    expect(sent).toBe(4);
  });
});
