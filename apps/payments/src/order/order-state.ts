import type { OrderStatus } from '@paylend/contracts';

/** The parts of an order the state machine reads and writes; amounts in minor units of one currency. */
export interface OrderState {
  status: OrderStatus;
  amount: bigint;
  captured: bigint;
  fee: bigint;
  refunded: bigint;
  expiresAt: Date | null;
}

export type OrderEvent =
  | { type: 'pay'; at: Date }
  | { type: 'captured'; captured: bigint; fee: bigint }
  | { type: 'declined' }
  /** The wallet refused (or never made) the hold: nothing moved, the order is payable again. */
  | { type: 'released' }
  | { type: 'expire'; at: Date }
  | { type: 'close' }
  /** `reserved`: what pending refunds of the order hold back (their wallet transfer is not confirmed yet). */
  | { type: 'refund'; amount: bigint; reserved?: bigint };

export type TransitionErrorCode =
  | 'ORDER_NOT_PAYABLE'
  | 'ORDER_EXPIRED'
  | 'ORDER_NOT_REFUNDABLE'
  | 'REFUND_EXCEEDS_CAPTURED'
  | 'AMOUNT_INVALID'
  | 'TRANSITION_INVALID';

export type Transition =
  { ok: true; state: OrderState } | { ok: false; code: TransitionErrorCode; message: string };

const REFUNDABLE: ReadonlySet<OrderStatus> = new Set(['SUCCEEDED', 'PARTIALLY_REFUNDED']);

function refuse(code: TransitionErrorCode, message: string): Transition {
  return { ok: false, code, message };
}

export function isExpired(state: OrderState, at: Date): boolean {
  return state.expiresAt !== null && at.getTime() >= state.expiresAt.getTime();
}

/**
 * The order lifecycle, CREATED -> PENDING -> SUCCEEDED | FAILED (or back to CREATED when the wallet
 * refused the hold of a QR order), CREATED -> EXPIRED | CLOSED, then
 * SUCCEEDED -> PARTIALLY_REFUNDED -> REFUNDED. Pure: the caller persists the state it returns, under the
 * order's row lock, so every path (scan, code, refund, sweeper) goes through these same rules.
 */
export function transition(state: OrderState, event: OrderEvent): Transition {
  switch (event.type) {
    case 'pay':
      if (state.status !== 'CREATED') {
        return refuse(
          state.status === 'EXPIRED' ? 'ORDER_EXPIRED' : 'ORDER_NOT_PAYABLE',
          `the order is ${state.status}; only a CREATED order can be paid`,
        );
      }
      if (isExpired(state, event.at)) {
        return refuse('ORDER_EXPIRED', `the order expired at ${state.expiresAt!.toISOString()}`);
      }
      return { ok: true, state: { ...state, status: 'PENDING' } };
    case 'captured':
      if (state.status !== 'PENDING') {
        return refuse('TRANSITION_INVALID', `a capture needs a PENDING order, not ${state.status}`);
      }
      if (event.captured !== state.amount) {
        return refuse('AMOUNT_INVALID', `captured ${event.captured} but the order is for ${state.amount}`);
      }
      if (event.fee < 0n || event.fee > event.captured) {
        return refuse(
          'AMOUNT_INVALID',
          `fee ${event.fee} must be between 0 and the capture ${event.captured}`,
        );
      }
      return { ok: true, state: { ...state, status: 'SUCCEEDED', captured: event.captured, fee: event.fee } };
    case 'declined':
      if (state.status !== 'PENDING') {
        return refuse('TRANSITION_INVALID', `a decline needs a PENDING order, not ${state.status}`);
      }
      return { ok: true, state: { ...state, status: 'FAILED' } };
    case 'released':
      if (state.status !== 'PENDING') {
        return refuse('TRANSITION_INVALID', `only a PENDING order is released, not ${state.status}`);
      }
      return { ok: true, state: { ...state, status: 'CREATED' } };
    case 'expire':
      if (state.status !== 'CREATED') {
        return refuse('TRANSITION_INVALID', `only a CREATED order expires, not ${state.status}`);
      }
      if (!isExpired(state, event.at)) {
        return refuse('TRANSITION_INVALID', 'the order has not reached its expiry');
      }
      return { ok: true, state: { ...state, status: 'EXPIRED' } };
    case 'close':
      if (state.status !== 'CREATED') {
        return refuse('ORDER_NOT_PAYABLE', `only a CREATED order can be closed; this one is ${state.status}`);
      }
      return { ok: true, state: { ...state, status: 'CLOSED' } };
    case 'refund': {
      if (!REFUNDABLE.has(state.status)) {
        return refuse(
          'ORDER_NOT_REFUNDABLE',
          `the order is ${state.status}; only a paid order can be refunded`,
        );
      }
      if (event.amount <= 0n) return refuse('AMOUNT_INVALID', 'a refund must be for a positive amount');
      const refunded = state.refunded + event.amount;
      const reserved = event.reserved ?? 0n;
      if (refunded + reserved > state.captured) {
        return refuse(
          'REFUND_EXCEEDS_CAPTURED',
          `refunding ${event.amount} would bring refunds to ${refunded + reserved}, above the ${state.captured} captured ` +
            `(${state.captured - state.refunded - reserved} is left to refund` +
            (reserved > 0n ? `; pending refunds hold ${reserved})` : ')'),
        );
      }
      const status = refunded === state.captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
      return { ok: true, state: { ...state, status, refunded } };
    }
  }
}

/** What must hold of every order, whatever happened to it. */
export function invariantViolations(state: OrderState): string[] {
  const problems: string[] = [];
  if (state.amount <= 0n) problems.push('amount must be positive');
  if (state.refunded < 0n || state.refunded > state.captured) problems.push('refunded outside 0..captured');
  if (state.fee < 0n || state.fee > state.captured) problems.push('fee outside 0..captured');
  const paid = ['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(state.status);
  if (paid && state.captured !== state.amount) problems.push(`${state.status} with capture != amount`);
  if (!paid && (state.captured !== 0n || state.refunded !== 0n))
    problems.push(`${state.status} with money moved`);
  if (state.status === 'SUCCEEDED' && state.refunded !== 0n) problems.push('SUCCEEDED with refunds');
  if (state.status === 'PARTIALLY_REFUNDED' && !(state.refunded > 0n && state.refunded < state.captured))
    problems.push('PARTIALLY_REFUNDED must have 0 < refunded < captured');
  if (state.status === 'REFUNDED' && state.refunded !== state.captured) problems.push('REFUNDED not in full');
  return problems;
}
