import { TestClock } from '../clock';
import { InMemoryLedger } from '../engine/in-memory-ledger';
import { PostResult, TransferInput } from '../transfer';
import { GroupCommitter } from './group-commit';

// The committer's own logic (queueing, slicing results back to callers, chains, errors) against the
// reference ledger as its sink; the PostgreSQL path is covered in concurrency.int-spec.ts.
describe('GroupCommitter', () => {
  async function setup() {
    const ledger = new InMemoryLedger(new TestClock());
    await ledger.createAccounts([
      { id: 'bank', currency: 'USD', normalSide: 'debit' },
      { id: 'w', currency: 'USD', normalSide: 'credit', flags: { debitsMustNotExceedCredits: true } },
      { id: 'm', currency: 'USD', normalSide: 'credit' },
    ]);
    await ledger.post([
      { id: 'seed', debitAccountId: 'bank', creditAccountId: 'w', amount: '10', currency: 'USD', code: 's' },
    ]);
    const calls: number[] = [];
    const sink = {
      post: async (ts: TransferInput[]): Promise<PostResult[]> => {
        calls.push(ts.length);
        await new Promise((r) => setTimeout(r, 5));
        return ledger.post(ts);
      },
    };
    return { ledger, sink, calls };
  }
  const t = (id: string, amount = '1', extra: Partial<TransferInput> = {}): TransferInput =>
    ({
      id,
      debitAccountId: 'w',
      creditAccountId: 'm',
      amount,
      currency: 'USD',
      code: 'pay',
      ...extra,
    }) as TransferInput;

  it('batches concurrent callers and hands each its own result', async () => {
    const { sink, calls } = await setup();
    const gc = new GroupCommitter(sink, { maxBatch: 50, maxInFlight: 1 });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => gc.submit(t(`t${i}`))));
    expect(results.map((r) => (r.ok ? r.transfer.id : r.code))).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `t${i}`),
      'INSUFFICIENT_FUNDS',
      'INSUFFICIENT_FUNDS',
    ]);
    expect(calls).toEqual([12]);
    expect(gc.stats).toEqual({ batches: 1, transfers: 12 });
  });

  it('respects maxBatch and never splits a chain', async () => {
    const { sink, calls } = await setup();
    const gc = new GroupCommitter(sink, { maxBatch: 3, maxInFlight: 1 });
    await Promise.all([
      gc.submit(t('a')),
      gc.submit(t('b')),
      gc.submitChain([t('c'), t('d')]),
      gc.submit(t('e')),
    ]);
    // a and b fit; the chain c-d would overflow 3, so it waits whole for the next batch (with e).
    expect(calls).toEqual([2, 3]);
  });

  it('lets callers whose transfer just committed join the very next batch', async () => {
    const { sink, calls } = await setup();
    const gc = new GroupCommitter(sink, { maxInFlight: 1 });
    await Promise.all(
      Array.from({ length: 4 }, async (_, c) => {
        for (let k = 0; k < 3; k++) await gc.submit(t(`loop${c}-${k}`, '0.01'));
      }),
    );
    expect(calls).toEqual([4, 4, 4]);
  });

  it('never links one caller into another and fails a chain as one', async () => {
    const { sink } = await setup();
    const gc = new GroupCommitter(sink, { maxInFlight: 1 });
    const [lone, chain] = await Promise.all([
      gc.submit(t('x', '1', { linked: true })),
      gc.submitChain([t('c1', '1'), t('c2', '100')]),
    ]);
    expect(lone.ok).toBe(true);
    expect(chain.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'LINKED_TRANSFER_FAILED',
      'INSUFFICIENT_FUNDS',
    ]);
    expect(await gc.submitChain([])).toEqual([]);
    await gc.drain();
  });

  it('rejects every caller of a batch whose commit failed, and keeps going', async () => {
    let fail = true;
    const gc = new GroupCommitter({
      post: async (ts: TransferInput[]) => {
        if (fail) throw new Error('connection lost');
        return ts.map((x) => ({ ok: false as const, code: 'ACCOUNT_NOT_FOUND' as const, message: x.id }));
      },
    });
    await expect(gc.submit(t('a'))).rejects.toThrow('connection lost');
    fail = false;
    await expect(gc.submit(t('b'))).resolves.toMatchObject({ ok: false, message: 'b' });
  });
});
