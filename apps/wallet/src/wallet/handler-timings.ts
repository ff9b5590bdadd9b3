import type { Logger } from 'pino';

/**
 * Time spent inside the wallet's command handlers (the database work of a command, before its commit),
 * logged as percentiles every interval while there is traffic: the "wallet" hop of the latency breakdown.
 */
export class HandlerTimings {
  private samples = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      const list = this.samples.get(name) ?? [];
      list.push(performance.now() - t0);
      this.samples.set(name, list);
    }
  }

  /** Times a set-based handler of `n` commands: each command is recorded at the chunk's time divided by n. */
  async timeMany<T>(name: string, n: number, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      const each = (performance.now() - t0) / Math.max(1, n);
      const list = this.samples.get(name) ?? [];
      for (let i = 0; i < n; i++) list.push(each);
      this.samples.set(name, list);
      const sizes = this.samples.get(`${name}.chunk`) ?? [];
      sizes.push(n);
      this.samples.set(`${name}.chunk`, sizes);
    }
  }

  private flush(): void {
    if (this.samples.size === 0) return;
    const stats: Record<string, { n: number; p50: number; p99: number; max: number }> = {};
    for (const [name, list] of this.samples) {
      const s = [...list].sort((a, b) => a - b);
      const at = (p: number) => Number(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!.toFixed(2));
      stats[name] = { n: s.length, p50: at(0.5), p99: at(0.99), max: Number(s[s.length - 1]!.toFixed(2)) };
    }
    this.samples = new Map();
    this.log.info({ stats }, 'handler latency');
  }
}
