import fc from 'fast-check';
import { TestClock } from '@paylend/ledger';
import { SettlementError } from '../errors/settlement-error';
import { transition, openWindow, WINDOW_TRANSITIONS, WindowAction } from './settlement-window';
import { WindowBook } from './window-book';

describe('settlement window state machine', () => {
  it('runs OPEN -> CLOSED -> PENDING_SETTLEMENT -> SETTLED, stamping each step from the clock', () => {
    const clock = new TestClock('2026-11-28T00:00:00.000Z');
    let w = openWindow('qr-cny', 1, clock);
    expect(w).toMatchObject({ id: 'qr-cny-000001', status: 'OPEN', openedAt: '2026-11-28T00:00:00.000Z' });
    clock.advance(86_400_000);
    w = transition(w, 'close', clock);
    clock.advance(60_000);
    w = transition(w, 'startSettlement', clock);
    clock.advance(60_000);
    w = transition(w, 'settle', clock);
    expect(w).toMatchObject({
      status: 'SETTLED',
      closedAt: '2026-11-29T00:00:00.000Z',
      pendingAt: '2026-11-29T00:01:00.000Z',
      settledAt: '2026-11-29T00:02:00.000Z',
    });
  });

  it('refuses every transition the table does not allow, with the allowed ones in the message', () => {
    const clock = new TestClock();
    const actions: WindowAction[] = ['close', 'startSettlement', 'settle', 'abort'];
    for (const status of Object.keys(WINDOW_TRANSITIONS) as (keyof typeof WINDOW_TRANSITIONS)[]) {
      for (const action of actions) {
        const w = { ...openWindow('s', 1, clock), status };
        if (WINDOW_TRANSITIONS[status][action])
          expect(transition(w, action, clock).status).toBe(WINDOW_TRANSITIONS[status][action]);
        else
          expect(() => transition(w, action, clock)).toThrow(
            expect.objectContaining({ code: 'WINDOW_TRANSITION' }),
          );
      }
    }
    expect(() => transition({ ...openWindow('s', 1, clock), status: 'SETTLED' }, 'abort', clock)).toThrow(
      /final/,
    );
  });
});

describe('WindowBook', () => {
  it('keeps one open window per scheme and opens the next on close', () => {
    const book = new WindowBook(new TestClock());
    book.open('qr-cny');
    book.open('qr-jpy');
    expect(() => book.open('qr-cny')).toThrow(expect.objectContaining({ code: 'WINDOW_ALREADY_OPEN' }));
    book.clear('qr-cny', 't1');
    const { closed, next } = book.close('qr-cny');
    expect(closed.status).toBe('CLOSED');
    expect(next).toMatchObject({ id: 'qr-cny-000002', status: 'OPEN' });
    expect(book.clear('qr-cny', 't2').id).toBe('qr-cny-000002');
    expect(book.transfersOf(closed.id)).toEqual(['t1']);
    expect(() => book.clear('qr-cny', 't1')).toThrow(
      expect.objectContaining({ code: 'TRANSFER_ALREADY_ASSIGNED' }),
    );
    expect(() => book.clear('none', 't9')).toThrow(expect.objectContaining({ code: 'NO_OPEN_WINDOW' }));
  });

  it('carries an aborted window’s transfers to the next open window', () => {
    const book = new WindowBook(new TestClock());
    book.open('s');
    book.clear('s', 'a');
    book.clear('s', 'b');
    const { closed, next } = book.close('s');
    book.clear('s', 'c');
    book.startSettlement(closed.id);
    const { aborted, carriedTo, carried } = book.abort(closed.id, 'bank file rejected');
    expect(aborted).toMatchObject({
      status: 'ABORTED',
      abortReason: 'bank file rejected',
      carriedTo: next.id,
    });
    expect(carriedTo.id).toBe(next.id);
    expect(carried).toBe(2);
    expect(book.transfersOf(next.id)).toEqual(['a', 'b', 'c']);
    expect(book.transfersOf(closed.id)).toEqual([]);
    expect(book.windowOf('a')).toBe(next.id);
  });

  it('restores from a snapshot and rejects a snapshot with two open windows in one scheme', () => {
    const clock = new TestClock();
    const book = new WindowBook(clock);
    book.open('s');
    book.clear('s', 'x');
    const copy = new WindowBook(clock, book.snapshot());
    expect(copy.snapshot()).toEqual(book.snapshot());
    const bad = { windows: [openWindow('s', 1, clock), openWindow('s', 2, clock)], membership: [] };
    expect(() => new WindowBook(clock, bad)).toThrow(SettlementError);
  });

  it('under any sequence of commands: one open window per scheme at most, every transfer in exactly one window', () => {
    type Cmd = {
      op: 'open' | 'clear' | 'close' | 'pending' | 'settle' | 'abort';
      scheme: number;
      pick: number;
    };
    const cmd = fc.record({
      op: fc.constantFrom<Cmd['op']>(
        'open',
        'clear',
        'clear',
        'clear',
        'close',
        'pending',
        'settle',
        'abort',
      ),
      scheme: fc.integer({ min: 0, max: 1 }),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 80 }), (cmds) => {
        const book = new WindowBook(new TestClock());
        const cleared: string[] = [];
        cmds.forEach((c, i) => {
          const scheme = `s${c.scheme}`;
          const windows = book.list(scheme);
          const target = windows.length ? windows[c.pick % windows.length]! : undefined;
          try {
            if (c.op === 'open') book.open(scheme);
            else if (c.op === 'clear') {
              book.clear(scheme, `t${i}`);
              cleared.push(`t${i}`);
            } else if (c.op === 'close') book.close(scheme);
            else if (target && c.op === 'pending') book.startSettlement(target.id);
            else if (target && c.op === 'settle') book.settle(target.id);
            else if (target && c.op === 'abort') book.abort(target.id, 'test');
          } catch (e) {
            if (!(e instanceof SettlementError)) throw e;
          }
        });
        for (const s of ['s0', 's1'])
          expect(book.list(s).filter((w) => w.status === 'OPEN').length).toBeLessThanOrEqual(1);
        const all = book.list().flatMap((w) => book.transfersOf(w.id));
        expect(all.sort()).toEqual([...cleared].sort());
        for (const w of book.list()) if (w.status === 'ABORTED') expect(book.transfersOf(w.id)).toEqual([]);
      }),
    );
  });
});
