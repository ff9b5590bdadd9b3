import { PostResult, TransferInput } from '../transfer';

export interface GroupCommitOptions {
  /** Most transfers per database transaction. */
  maxBatch?: number;
  /** Batches committing at once; while one waits for fsync the next is already being built. */
  maxInFlight?: number;
}

interface Waiter {
  transfers: TransferInput[];
  resolve(results: PostResult[]): void;
  reject(err: unknown): void;
}

/**
 * Lets many concurrent callers that each post one transfer (or one linked chain) share a commit: callers
 * queue while a batch is committing and the next batch takes everything queued, so the commit rate, not the
 * caller count, bounds throughput. Each caller gets only its own results. The committer owns the `linked`
 * flags: `submit` posts a lone transfer, `submitChain` an all-or-nothing chain that never links into another
 * caller's transfers.
 */
export class GroupCommitter {
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private idle: Array<() => void> = [];
  /** Transactions committed and transfers they carried, for monitoring. */
  readonly stats = { batches: 0, transfers: 0 };

  constructor(
    private readonly sink: { post(transfers: TransferInput[]): Promise<PostResult[]> },
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  async submit(transfer: TransferInput): Promise<PostResult> {
    const [r] = await this.enqueue([{ ...transfer, linked: false }]);
    return r!;
  }

  submitChain(transfers: TransferInput[]): Promise<PostResult[]> {
    if (transfers.length === 0) return Promise.resolve([]);
    return this.enqueue(transfers.map((t, i) => ({ ...t, linked: i < transfers.length - 1 })));
  }

  /** Resolves when everything submitted so far has committed. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private enqueue(transfers: TransferInput[]): Promise<PostResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ transfers, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Forms the next batch one event-loop turn later rather than at once: callers whose previous transfer
   * just committed re-submit in the promise jobs of that turn, and then ride in the next batch instead of
   * waiting for the one after it. Costs well under a millisecond; without it batches stay small.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      // Share what is queued among the free commit slots, so that while one batch waits for its fsync the
      // next is already locking and writing (64 callers, 2 slots: two batches of 32, not one of 64).
      const queued = this.queue.reduce((n, w) => n + w.transfers.length, 0);
      const target = Math.min(this.maxBatch, Math.ceil(queued / (this.maxInFlight - this.inFlight)));
      const batch: Waiter[] = [];
      let size = 0;
      while (
        this.queue.length > 0 &&
        (batch.length === 0 || size + this.queue[0]!.transfers.length <= target)
      ) {
        const w = this.queue.shift()!;
        batch.push(w);
        size += w.transfers.length;
      }
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.schedule();
        if (this.inFlight === 0 && this.queue.length === 0) for (const f of this.idle.splice(0)) f();
      });
    }
  }

  private async flush(batch: Waiter[]): Promise<void> {
    const all = batch.flatMap((w) => w.transfers);
    try {
      const results = await this.sink.post(all);
      this.stats.batches++;
      this.stats.transfers += all.length;
      let at = 0;
      for (const w of batch) {
        w.resolve(results.slice(at, at + w.transfers.length));
        at += w.transfers.length;
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
