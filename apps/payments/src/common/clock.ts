export { type Clock, systemClock, TestClock } from '@paylend/ledger';

/** Nest token of the Clock every expiry and payment-code window reads. */
export const CLOCK = Symbol('CLOCK');
