import fc from 'fast-check';
import { commandTopic, dlqTopic, eventTopic, isCommandTopic, isEventTopic, replyTopic } from './topic-names';

describe('topic names', () => {
  it('builds versioned event and command names', () => {
    expect(eventTopic('wallet', 'transfer', 'posted', 1)).toBe('wallet.transfer.posted.v1');
    expect(commandTopic('wallet', 'create-hold', 2)).toBe('wallet.create-hold.cmd.v2');
    expect(replyTopic('gateway')).toBe('gateway.replies.v1');
    expect(dlqTopic('wallet.transfer.posted.v1')).toBe('wallet.transfer.posted.v1.dlq');
  });

  it('refuses names that break the convention', () => {
    expect(() => eventTopic('Wallet', 'transfer', 'posted', 1)).toThrow(/context "Wallet"/);
    expect(() => eventTopic('wallet', 'trans fer', 'posted', 1)).toThrow(/entity/);
    expect(() => commandTopic('wallet', 'hold', 0)).toThrow(/positive integer/);
    expect(() => commandTopic('wallet', 'hold', 1.5)).toThrow(/positive integer/);
  });

  it('classifies every generated name as exactly one kind', () => {
    const seg = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).filter((s) => s !== 'cmd');
    fc.assert(
      fc.property(seg, seg, seg, fc.integer({ min: 1, max: 99 }), (c, e, ev, v) => {
        const ev1 = eventTopic(c, e, ev, v);
        const cmd = commandTopic(c, e, v);
        return isEventTopic(ev1) && !isCommandTopic(ev1) && isCommandTopic(cmd) && !isEventTopic(cmd);
      }),
    );
  });
});
