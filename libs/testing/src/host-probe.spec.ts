import { jsProbeRound, probeHost } from './host-probe';

describe('host probe', () => {
  it('does the same work on every run, so results from different days compare', () => {
    // A changed probe makes earlier bench results incomparable: change this value only on purpose.
    expect(jsProbeRound()).toBe('12997500:009997ed1bedc86c');
    expect(jsProbeRound(10)).toBe(jsProbeRound(10));
    expect(jsProbeRound(10)).not.toBe(jsProbeRound(11));
  });

  it('measures CPU per round and the loopback round trip to another process', async () => {
    const probe = await probeHost();
    expect(probe.jsCpuMs).toBeGreaterThan(0);
    expect(Number.isFinite(probe.jsCpuMs)).toBe(true);
    // A round trip to another process cannot be faster than a few µs, nor (on any working host) take 50 ms.
    expect(probe.loopbackRoundTripUs).toBeGreaterThan(2);
    expect(probe.loopbackRoundTripUs).toBeLessThan(50_000);
  });
});
