import { formatStageTimes, stageTimes } from './stage-times';

const line = (time: string, msg: string, fields: Record<string, unknown>) =>
  JSON.stringify({ level: 'debug', time, service: 's', msg, ...fields });

describe('stageTimes', () => {
  const from = new Date('2026-11-29T06:00:00.000Z');
  const to = new Date('2026-11-29T06:00:10.000Z');
  const wallet = {
    name: 'wallet',
    lines: [
      line('2026-11-29T05:59:59.999Z', 'inbox chunk', {
        topic: 't',
        messages: 99,
        waitedMs: 99,
        applyMs: 99,
      }),
      line('2026-11-29T06:00:01.000Z', 'inbox chunk', { topic: 't', messages: 2, waitedMs: 10, applyMs: 40 }),
      line('2026-11-29T06:00:02.000Z', 'inbox chunk', { topic: 't', messages: 4, waitedMs: 30, applyMs: 20 }),
      line('2026-11-29T06:00:03.000Z', 'inbox chunk', { topic: 'u', messages: 1, waitedMs: 5, applyMs: 5 }),
      '{"level":"info","time":"2026-11-29T06:00:04.000Z","msg":"ready"}',
    ],
  };
  const payments = {
    name: 'payments',
    lines: [
      line('2026-11-29T06:00:05.000Z', 'payment batch', {
        orders: 20,
        walletMs: 90,
        completeMs: 18,
        waiting: 3,
      }),
    ],
  };

  it('averages each stage over the window only, per service and topic', () => {
    const times = stageTimes([wallet, payments], from, to);
    expect(times).toEqual(
      expect.arrayContaining([
        { stage: 'wallet t', batches: 2, mean: { messages: 3, waitedMs: 20, applyMs: 30 } },
        { stage: 'wallet u', batches: 1, mean: { messages: 1, waitedMs: 5, applyMs: 5 } },
        {
          stage: 'payments payment batch',
          batches: 1,
          mean: { orders: 20, walletMs: 90, completeMs: 18, waiting: 3 },
        },
      ]),
    );
    expect(times).toHaveLength(3);
  });

  it('prints one line per stage, sorted', () => {
    const text = formatStageTimes(stageTimes([wallet, payments], from, to));
    expect(text.split('\n')).toEqual([
      '  payments payment batch: 1 batches, mean orders 20, walletMs 90, completeMs 18, waiting 3',
      '  wallet t: 2 batches, mean messages 3, waitedMs 20, applyMs 30',
      '  wallet u: 1 batches, mean messages 1, waitedMs 5, applyMs 5',
    ]);
  });
});
