import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { percentile } from './bench';

/**
 * How fast this host is right now, measured with work that does not depend on PayLend's code, so that
 * benchmark runs from different days can be compared. The host these benchmarks run on is shared and
 * virtualised, and the same code has measured up to three times slower on one day than on another.
 */
export interface HostProbe {
  /** CPU ms one fixed round of JSON, HMAC and bigint arithmetic takes (median of five rounds). */
  jsCpuMs: number;
  /** Median µs of a 300-byte TCP round trip to another process on loopback: the cost of every hop. */
  loopbackRoundTripUs: number;
}

/** Orders in one round of the JS probe: about 20-60 ms of CPU on the hosts seen so far. */
const JS_PROBE_ORDERS = 5000;

/**
 * One round of the JS probe: what a service does per message (serialise, parse, sign, add minor units).
 * Returns a checksum of its results, so the work cannot be optimised away and any change to it is seen
 * (a changed probe would make old results incomparable).
 */
export function jsProbeRound(orders = JS_PROBE_ORDERS): string {
  let total = 0n;
  const mac = createHmac('sha256', 'host-probe');
  for (let i = 0; i < orders; i++) {
    const order = {
      id: `order-${i}`,
      merchantId: `merchant-${i % 17}`,
      amount: { amount: `${1 + (i % 50)}.${String(i % 100).padStart(2, '0')}`, currency: 'CNY' },
      status: i % 3 === 0 ? 'SUCCEEDED' : 'PENDING',
      history: [{ at: '2026-11-29T00:00:00.000Z', detail: `paying from wallet-${i % 41}` }],
    };
    const parsed = JSON.parse(JSON.stringify(order)) as typeof order;
    const [units, cents] = parsed.amount.amount.split('.');
    total += BigInt(units!) * 100n + BigInt(cents!);
    mac.update(parsed.id).update(parsed.status);
  }
  return `${total}:${mac.digest('hex').slice(0, 16)}`;
}

function cpuMsOf(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Sequential round trips to an echo server in a child process; returns each one's µs. */
async function loopbackRoundTrips(count: number): Promise<number[]> {
  const echo = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer((c) => { c.setNoDelay(true); c.pipe(c); });
       s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [line] = (await once(echo.stdout!, 'data')) as [Buffer];
    const socket: Socket = connect(Number(line.toString().trim()), '127.0.0.1');
    socket.setNoDelay(true);
    await once(socket, 'connect');
    const payload = Buffer.alloc(300, 120);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = process.hrtime.bigint();
      socket.write(payload);
      let got = 0;
      while (got < payload.length) {
        const [chunk] = (await once(socket, 'data')) as [Buffer];
        got += chunk.length;
      }
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    socket.destroy();
    return times;
  } finally {
    echo.kill();
  }
}

/** Measures the host; takes about a second. Run it while nothing else of the benchmark is running. */
export async function probeHost(): Promise<HostProbe> {
  jsProbeRound(); // compiled before it is timed
  const rounds = Array.from({ length: 5 }, () => cpuMsOf(() => jsProbeRound()));
  const trips = await loopbackRoundTrips(2000);
  return {
    jsCpuMs: percentile(rounds, 50),
    loopbackRoundTripUs: percentile(trips.slice(200), 50),
  };
}
