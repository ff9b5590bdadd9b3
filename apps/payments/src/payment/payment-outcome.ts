import type { OrderView, Reply } from '@paylend/contracts';

/**
 * What a payment attempt ends in, all committed: paid; declined and recorded (a FAILED payment-code order);
 * or pending, when the wallet did not answer the capture: the order stays PENDING with its hold, and a
 * retry (same ids) or the recovery sweep finishes it, so money captured late is never lost track of.
 */
export type PaymentOutcome =
  | { kind: 'paid'; order: OrderView }
  | { kind: 'declined'; order: OrderView; walletCode: string; message: string }
  | { kind: 'pending'; order: OrderView; message: string };

/** A committed outcome as a reply: paid is the order; a recorded decline or a pending capture is a refusal carrying it. */
export function replyOfOutcome(o: PaymentOutcome): Reply<OrderView> {
  switch (o.kind) {
    case 'paid':
      return { ok: true, value: o.order };
    case 'declined':
      return {
        ok: false,
        error: {
          code: 'PAYMENT_DECLINED',
          message: o.message,
          details: { walletError: o.walletCode, order: o.order },
        },
      };
    case 'pending':
      return {
        ok: false,
        error: {
          code: 'PAYMENT_PENDING',
          message: `${o.message}; retry with the same request or query the order`,
          details: { order: o.order },
        },
      };
  }
}
