import fc from 'fast-check';
import { invariantViolations, transition, type OrderEvent, type OrderState } from './order-state';

const T0 = new Date('2026-11-28T12:00:00.000Z');
const created = (amount = 10_000n): OrderState => ({
  status: 'CREATED',
  amount,
  captured: 0n,
  fee: 0n,
  refunded: 0n,
  expiresAt: new Date(T0.getTime() + 60_000),
});

function apply(state: OrderState, events: OrderEvent[]): OrderState {
  for (const e of events) {
    const r = transition(state, e);
    if (!r.ok) throw new Error(`${e.type}: ${r.code} ${r.message}`);
    state = r.state;
  }
  return state;
}

describe('order state machine', () => {
  it('walks the happy path to a full refund in two parts', () => {
    const s = apply(created(), [
      { type: 'pay', at: T0 },
      { type: 'captured', captured: 10_000n, fee: 60n },
      { type: 'refund', amount: 2_500n },
    ]);
    expect(s).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: 2_500n, fee: 60n });
    expect(apply(s, [{ type: 'refund', amount: 7_500n }]).status).toBe('REFUNDED');
  });

  it('refuses to pay twice, to pay an expired or closed order, and refunds above the capture', () => {
    const paid = apply(created(), [
      { type: 'pay', at: T0 },
      { type: 'captured', captured: 10_000n, fee: 60n },
    ]);
    expect(transition(paid, { type: 'pay', at: T0 })).toMatchObject({ ok: false, code: 'ORDER_NOT_PAYABLE' });
    expect(transition(created(), { type: 'pay', at: new Date(T0.getTime() + 60_000) })).toMatchObject({
      ok: false,
      code: 'ORDER_EXPIRED',
    });
    const expired = apply(created(), [{ type: 'expire', at: new Date(T0.getTime() + 60_000) }]);
    expect(transition(expired, { type: 'pay', at: T0 })).toMatchObject({ ok: false, code: 'ORDER_EXPIRED' });
    const closed = apply(created(), [{ type: 'close' }]);
    expect(transition(closed, { type: 'pay', at: T0 })).toMatchObject({
      ok: false,
      code: 'ORDER_NOT_PAYABLE',
    });
    expect(transition(paid, { type: 'refund', amount: 10_001n })).toMatchObject({
      ok: false,
      code: 'REFUND_EXCEEDS_CAPTURED',
    });
    expect(transition(created(), { type: 'refund', amount: 1n })).toMatchObject({
      ok: false,
      code: 'ORDER_NOT_REFUNDABLE',
    });
  });

  it('counts what pending refunds reserve against what is left to refund', () => {
    const paid = apply(created(), [
      { type: 'pay', at: T0 },
      { type: 'captured', captured: 10_000n, fee: 60n },
    ]);
    expect(transition(paid, { type: 'refund', amount: 4_000n, reserved: 6_000n })).toMatchObject({
      ok: true,
      state: { status: 'PARTIALLY_REFUNDED', refunded: 4_000n },
    });
    const refused = transition(paid, { type: 'refund', amount: 4_001n, reserved: 6_000n });
    expect(refused).toMatchObject({ ok: false, code: 'REFUND_EXCEEDS_CAPTURED' });
    expect(refused.ok ? '' : refused.message).toContain('pending refunds hold 6000');
  });

  it('a released payment leaves the order payable again; a paid one cannot be released', () => {
    const pending = apply(created(), [{ type: 'pay', at: T0 }]);
    expect(apply(pending, [{ type: 'released' }]).status).toBe('CREATED');
    const paid = apply(pending, [{ type: 'captured', captured: 10_000n, fee: 60n }]);
    expect(transition(paid, { type: 'released' })).toMatchObject({ ok: false });
  });

  it('does not expire an order before its time, nor one already paid', () => {
    expect(transition(created(), { type: 'expire', at: T0 })).toMatchObject({ ok: false });
    const pending = apply(created(), [{ type: 'pay', at: T0 }]);
    expect(transition(pending, { type: 'expire', at: new Date(T0.getTime() + 120_000) })).toMatchObject({
      ok: false,
    });
  });

  const event: fc.Arbitrary<OrderEvent> = fc.oneof(
    fc
      .integer({ min: -5, max: 120 })
      .map((s) => ({ type: 'pay', at: new Date(T0.getTime() + s * 1000) }) as const),
    fc
      .record({ captured: fc.bigInt({ min: 0n, max: 12_000n }), fee: fc.bigInt({ min: -5n, max: 200n }) })
      .map((r) => ({ type: 'captured', ...r }) as const),
    fc.constant({ type: 'declined' } as const),
    fc.constant({ type: 'released' } as const),
    fc
      .integer({ min: 0, max: 120 })
      .map((s) => ({ type: 'expire', at: new Date(T0.getTime() + s * 1000) }) as const),
    fc.constant({ type: 'close' } as const),
    fc.bigInt({ min: -100n, max: 11_000n }).map((amount) => ({ type: 'refund', amount }) as const),
  );

  it('property: no sequence of events leaves an invalid state or refunds more than was captured', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.array(event, { maxLength: 40 }),
        (amount, events) => {
          let state = created(amount);
          let refundedByAcceptedEvents = 0n;
          for (const e of events) {
            // Captures are for the order's amount when the wallet answers; sometimes the generated one is.
            const ev = e.type === 'captured' && e.captured % 3n === 0n ? { ...e, captured: amount } : e;
            const r = transition(state, ev);
            if (r.ok) {
              if (ev.type === 'refund') refundedByAcceptedEvents += ev.amount;
              state = r.state;
            }
            expect(invariantViolations(state)).toEqual([]);
            expect(state.refunded).toBe(refundedByAcceptedEvents);
            expect(state.refunded <= state.captured).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: terminal unpaid states never move again', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('FAILED', 'EXPIRED', 'CLOSED' as const),
        fc.array(event, { maxLength: 10 }),
        (status, events) => {
          const state: OrderState = { ...created(), status };
          for (const e of events) expect(transition(state, e).ok).toBe(false);
        },
      ),
    );
  });
});
