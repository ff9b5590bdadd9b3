// The benchmarks measure steady state: Kafka's JVM (started by the benchmark itself on a fresh checkout)
// interprets and then compiles its request paths during its first minute under load. Measured on this
// machine with the wallet benchmark: broker CPU per P2P transfer 0.68 ms right after start, 0.23 ms once
// warm, with everything else unchanged. A production broker is always warm, so this runs first.
import type { GatewayApi } from '../apps/gateway/src/demo/http-client';

export const BROKER_WARMUP_MS = Number(process.env['BENCH_BROKER_WARMUP_MS'] ?? 20_000);

/** Kafka ping round trips through the gateway (gateway -> Kafka -> wallet -> Kafka) from `clients` loops. */
export async function warmUpBroker(api: GatewayApi, ms = BROKER_WARMUP_MS, clients = 32): Promise<number> {
  const until = Date.now() + ms;
  let pings = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const r = await api.call('GET', '/v1/platform/ping/wallet');
        if (r.status !== 200) throw new Error(`broker warm-up ping: HTTP ${r.status}`);
        pings++;
      }
    }),
  );
  return pings;
}
