import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far by each live process, from /proc (Linux only; empty elsewhere). */
export interface ProcessCpu {
  pid: number;
  cmdline: string;
  cpuS: number;
}

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux this runs on

export function processCpu(): ProcessCpu[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const out: ProcessCpu[] = [];
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid: Number(p), cmdline, cpuS: ticks / TICKS_PER_S });
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/**
 * Attributes the CPU used between `start()` and `stop()` to named groups of processes, so a benchmark can
 * say where its work went (client, each service, the broker, PostgreSQL) and compare per-operation costs.
 * A process matching no group is counted under "other" (another engineer's work on a shared machine).
 */
export class CpuAccounting {
  private before = new Map<number, number>();
  private startedAt = 0;

  constructor(private readonly groups: Array<[name: string, match: (p: ProcessCpu) => boolean]>) {}

  start(): void {
    this.before = new Map(processCpu().map((p) => [p.pid, p.cpuS]));
    this.startedAt = performance.now();
  }

  /** CPU seconds per group, plus the wall-clock seconds of the window under "wall_s". */
  stop(): Record<string, number> {
    const wallS = (performance.now() - this.startedAt) / 1000;
    const used: Record<string, number> = Object.fromEntries(this.groups.map(([n]) => [n, 0]));
    used['other'] = 0;
    for (const p of processCpu()) {
      const delta = p.cpuS - (this.before.get(p.pid) ?? 0);
      if (delta <= 0) continue;
      const group = this.groups.find(([, match]) => match(p))?.[0] ?? 'other';
      used[group] = (used[group] ?? 0) + delta;
    }
    used['wall_s'] = wallS;
    return used;
  }
}

/** CPU milliseconds per operation for each group of a `CpuAccounting.stop()` result (the window left out). */
export function cpuMsPerOperation(used: Record<string, number>, operations: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(used)
      .filter(([k]) => k !== 'wall_s')
      .map(([k, v]) => [k, operations > 0 ? (v * 1000) / operations : Number.NaN]),
  );
}
