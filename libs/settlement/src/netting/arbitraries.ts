import fc from 'fast-check';
import { ClearedTransfer } from '../transfer/cleared-transfer';

/** Transfers among a few participants in currencies with exponents 2, 0 and 3; ids unique. Test-only. */
export function transfersArb(
  options: { maxLength?: number; maxAmount?: bigint } = {},
): fc.Arbitrary<ClearedTransfer[]> {
  const maxAmount = options.maxAmount ?? 10n ** 12n;
  const one = fc
    .record({
      payer: fc.integer({ min: 0, max: 7 }),
      payeeOffset: fc.integer({ min: 1, max: 7 }),
      amountMinor: fc.bigInt({ min: 1n, max: maxAmount }),
      currency: fc.constantFrom('CNY', 'JPY', 'KWD'),
      kind: fc.constantFrom<'payment' | 'refund'>('payment', 'payment', 'refund'),
      feePermille: fc.integer({ min: 0, max: 30 }),
    })
    .map((r) => ({
      payer: `p${r.payer}`,
      payee: `p${(r.payer + r.payeeOffset) % 8}`,
      amountMinor: r.amountMinor,
      currency: r.currency,
      kind: r.kind,
      feeMinor: (r.amountMinor * BigInt(r.feePermille)) / 1000n,
    }));
  return fc
    .array(one, { maxLength: options.maxLength ?? 60 })
    .map((ts) => ts.map((t, i): ClearedTransfer => ({ id: `t${i}`, ...t })));
}
