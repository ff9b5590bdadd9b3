import { z } from 'zod';

/**
 * Money on the wire: a decimal string and an ISO 4217 alphabetic code, never a JS number.
 * The string form is checked here; the currency's exponent is checked by the ledger when it is parsed.
 */
export const DecimalString = z
  .string()
  .regex(
    /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/,
    'must be a decimal string such as "12.50" (no exponent, no spaces)',
  );

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "CNY"');

export const MoneySchema = z.object({ amount: DecimalString, currency: CurrencyCode }).strict();
export type MoneyDto = z.infer<typeof MoneySchema>;

export const IdString = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
