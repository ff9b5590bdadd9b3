import { pingCommand } from './ping.command';

describe('pingCommand', () => {
  it('names each service its own ping topic', () => {
    expect(pingCommand('wallet').topic).toBe('wallet.ping.cmd.v1');
    expect(pingCommand('payments').topic).toBe('payments.ping.cmd.v1');
  });

  it('hands out one contract per service, so its reply schema is compiled once rather than on every ping', () => {
    expect(pingCommand('wallet')).toBe(pingCommand('wallet'));
    expect(pingCommand('wallet').replySchema).toBe(pingCommand('scoring').replySchema);
  });

  it('still validates replies', () => {
    const reply = {
      ok: true,
      value: { service: 'wallet', instanceId: 'i', receivedAt: new Date().toISOString() },
    };
    expect(pingCommand('wallet').replySchema.safeParse(reply).success).toBe(true);
    expect(pingCommand('wallet').replySchema.safeParse({ ok: true, value: {} }).success).toBe(false);
  });
});
