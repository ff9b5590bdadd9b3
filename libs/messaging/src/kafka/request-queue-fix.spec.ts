import { fixKafkajsRequestQueue, kafkajsRequestQueue } from './request-queue-fix';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
  checkPendingRequests(): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
  destroy(): void;
}

const quiet = {
  debug: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  error: () => undefined,
};

function queue(): Queue {
  const RequestQueue = kafkajsRequestQueue() as unknown as new (opts: object) => Queue;
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: quiet,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the kafkajs request queue fix', () => {
  beforeAll(() => fixKafkajsRequestQueue());

  it('does not spin after a response when nothing is queued', async () => {
    const q = queue();
    let checks = 0;
    const check = q.checkPendingRequests.bind(q);
    q.checkPendingRequests = () => {
      checks++;
      check();
    };
    q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    await sleep(60);
    q.destroy();
    // Unpatched, the check re-arms itself with a negative delay and runs about once a millisecond.
    expect(checks).toBe(1);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still re-checks while a request waits out a throttle', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 50;
    q.pending.push({});
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    q.pending.length = 0;
    q.destroy();
  });

  it('patches once however often it is applied', () => {
    const before = kafkajsRequestQueue().prototype;
    const schedule = (before as unknown as Queue & { scheduleCheckPendingRequests: unknown })
      .scheduleCheckPendingRequests;
    fixKafkajsRequestQueue();
    expect(
      (kafkajsRequestQueue().prototype as unknown as { scheduleCheckPendingRequests: unknown })
        .scheduleCheckPendingRequests,
    ).toBe(schedule);
  });
});
