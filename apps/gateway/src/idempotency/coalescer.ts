/**
 * Lets concurrent callers share one database round trip: while a flush is running, new items queue, and
 * the next flush takes them all (up to `maxBatch`). Idle, an item is flushed at once; busy, the commit rate
 * rather than the request rate bounds throughput. Each caller gets its own result, or the flush's error.
 */
export class Coalescer<I, O> {
  private queue: Array<{ item: I; resolve(o: O): void; reject(e: unknown): void }> = [];
  private inFlight = 0;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.flush(batch.map((b) => b.item))
        .then((out) => {
          if (out.length !== batch.length)
            throw new Error(`flush returned ${out.length} results for ${batch.length} items`);
          batch.forEach((b, i) => b.resolve(out[i]!));
        })
        .catch((err: unknown) => batch.forEach((b) => b.reject(err)))
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
