import { type Actor, getMerchantCommand } from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';
import { fail, ok, type Outcome } from './settlement-core';

/**
 * Merchants' bank accounts come from payments (which owns merchants) over request/reply, asked with the
 * operator's own authority: the wallet never sees a bank account the operator could not.
 */
export class PaymentsMerchantLookup {
  constructor(
    private readonly requests: RequestClient,
    private readonly timeoutMs: number,
  ) {}

  async bankAccounts(
    actor: Actor,
    merchantIds: readonly string[],
  ): Promise<Outcome<Map<string, { bankAccount: string; name: string }>>> {
    const out = new Map<string, { bankAccount: string; name: string }>();
    for (const merchantId of merchantIds) {
      try {
        const reply = await this.requests.request(getMerchantCommand, { actor, merchantId }, this.timeoutMs);
        if (!reply.ok) {
          return fail(
            'MERCHANT_UNKNOWN',
            `payments could not give merchant ${merchantId}'s bank account: ${reply.error.code} ${reply.error.message}`,
          );
        }
        out.set(merchantId, { bankAccount: reply.value.settlementAccount, name: reply.value.name });
      } catch (err) {
        if (err instanceof RequestTimeoutError) {
          return fail(
            'PAYMENTS_UNAVAILABLE',
            `payments did not answer for merchant ${merchantId}; retry the settlement`,
          );
        }
        throw err;
      }
    }
    return ok(out);
  }
}
