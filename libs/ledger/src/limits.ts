/**
 * Size limits in minor units. The database keeps BIGINT columns and its CHECK constraints add two of them
 * (debits posted + pending, credits posted + credit limit), so every balance column stays below 4 * 10^18
 * and every amount or credit limit below 10^17: no sum the database computes can overflow BIGINT.
 */
export const MAX_AMOUNT_MINOR = 10n ** 17n;
export const MAX_BALANCE = 4n * 10n ** 18n;
