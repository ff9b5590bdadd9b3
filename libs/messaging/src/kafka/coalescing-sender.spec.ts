import type { Producer, ProducerBatch } from 'kafkajs';
import { CoalescingSender } from './coalescing-sender';

/** A producer whose sendBatch calls are recorded and settled by the test. */
function gatedProducer() {
  const batches: ProducerBatch[] = [];
  const gates: Array<{ open(): void; fail(err: Error): void }> = [];
  const producer = {
    sendBatch(batch: ProducerBatch) {
      batches.push(batch);
      return new Promise((resolve, reject) => {
        gates.push({ open: () => resolve([]), fail: reject });
      });
    },
  } as unknown as Producer;
  return { producer, batches, gates };
}

const msg = (value: string) => ({ key: value, value });
const tick = () => new Promise((r) => setImmediate(r));
const shape = (b: ProducerBatch) =>
  (b.topicMessages ?? []).map((t) => [t.topic, t.messages.map((m) => m.value)]);

describe('CoalescingSender', () => {
  it('sends at once when idle, and everything sent meanwhile together in the next request, by topic', async () => {
    const { producer, batches, gates } = gatedProducer();
    const sender = new CoalescingSender(producer);
    const first = sender.send('a', msg('1'));
    await tick();
    expect(batches.map(shape)).toEqual([[['a', ['1']]]]);
    const rest = [sender.send('a', msg('2')), sender.send('b', msg('3')), sender.send('a', msg('4'))];
    await tick();
    expect(batches).toHaveLength(1); // still one request in flight
    gates[0]!.open();
    await first;
    await tick();
    expect(batches.map(shape)[1]).toEqual([
      ['a', ['2', '4']],
      ['b', ['3']],
    ]);
    gates[1]!.open();
    await Promise.all(rest);
  });

  it('fails every message of a failed request with its error, and goes on with the next', async () => {
    const { producer, gates } = gatedProducer();
    const sender = new CoalescingSender(producer);
    const first = sender.send('a', msg('1'));
    await tick();
    const second = sender.send('a', msg('2'));
    const third = sender.send('a', msg('3'));
    gates[0]!.open();
    await first;
    await tick();
    gates[1]!.fail(new Error('broker said no'));
    await expect(second).rejects.toThrow('broker said no');
    await expect(third).rejects.toThrow('broker said no');
    const fourth = sender.send('a', msg('4'));
    await tick();
    gates[2]!.open();
    await expect(fourth).resolves.toBeUndefined();
  });

  it('splits a backlog into requests of at most maxBatch messages', async () => {
    const { producer, batches, gates } = gatedProducer();
    const sender = new CoalescingSender(producer, 2);
    const all = ['1', '2', '3', '4', '5'].map((v) => sender.send('a', msg(v)));
    for (let i = 0; i < 3; i++) {
      await tick();
      gates[i]!.open();
    }
    await Promise.all(all);
    // The first leaves alone (the sender was idle); the backlog behind it in twos.
    expect(batches.map(shape)).toEqual([[['a', ['1']]], [['a', ['2', '3']]], [['a', ['4', '5']]]]);
  });
});
