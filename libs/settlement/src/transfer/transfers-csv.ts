import { parseMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { readCsv } from '../csv/csv';
import { SettlementError } from '../errors/settlement-error';
import { ClearedTransfer, TransferKind } from './cleared-transfer';

export const TRANSFERS_CSV_HEADER = ['id', 'payer', 'payee', 'amount', 'currency'] as const;
const OPTIONAL = ['kind', 'fee'] as const;

export interface ParsedTransfers {
  transfers: ClearedTransfer[];
  /** Every malformed line, each with its line number; when non-empty nothing should be settled. */
  errors: SettlementError[];
}

/**
 * Reads the operators' transfer file: header `id,payer,payee,amount,currency` (optionally followed by
 * `kind` — payment or refund — and `fee`). Collects all line errors rather than stopping at the first, so
 * an operator fixes the file in one go.
 */
export function parseTransfersCsv(
  text: string,
  exponentOf: ExponentOf = isoExponent,
  maxErrors = 100,
): ParsedTransfers {
  const [header, ...records] = readCsv(text);
  const columns = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const required = columns.slice(0, TRANSFERS_CSV_HEADER.length);
  const extra = columns.slice(TRANSFERS_CSV_HEADER.length);
  if (
    !header ||
    required.join(',') !== TRANSFERS_CSV_HEADER.join(',') ||
    extra.some((c) => !(OPTIONAL as readonly string[]).includes(c))
  ) {
    return {
      transfers: [],
      errors: [
        new SettlementError(
          'CSV_HEADER',
          `header must be "${TRANSFERS_CSV_HEADER.join(',')}" (optionally then kind,fee), got "${header?.fields.join(',') ?? ''}"`,
          header?.line ?? 1,
        ),
      ],
    };
  }
  const kindAt = columns.indexOf('kind');
  const feeAt = columns.indexOf('fee');
  const transfers: ClearedTransfer[] = [];
  const errors: SettlementError[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, fields } of records) {
    if (errors.length >= maxErrors) break;
    try {
      if (fields.length !== columns.length)
        throw new SettlementError(
          'CSV_LINE',
          `expected ${columns.length} fields, got ${fields.length}`,
          line,
        );
      const [id, payer, payee, amount, currencyRaw] = fields.map((f) => f.trim()) as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (id === '' || payer === '' || payee === '')
        throw new SettlementError('CSV_LINE', 'id, payer and payee must not be empty', line);
      if (payer === payee)
        throw new SettlementError('SAME_PAYER_PAYEE', `payer and payee are both "${payer}"`, line);
      const seen = firstLine.get(id);
      if (seen !== undefined)
        throw new SettlementError(
          'DUPLICATE_TRANSFER',
          `transfer id "${id}" already used on line ${seen}`,
          line,
        );
      const currency = currencyRaw.toUpperCase();
      const exponent = requireExponent(exponentOf, currency, line);
      const amountMinor = parseMinorUnits(amount, exponent, line);
      if (amountMinor <= 0n)
        throw new SettlementError('AMOUNT_NEGATIVE', `amount must be positive, got ${amount}`, line);
      const t: ClearedTransfer = { id, payer, payee, amountMinor, currency };
      if (kindAt >= 0) {
        const k = (fields[kindAt] ?? '').trim().toLowerCase() || 'payment';
        if (k !== 'payment' && k !== 'refund')
          throw new SettlementError('CSV_LINE', `kind must be payment or refund, got "${k}"`, line);
        t.kind = k as TransferKind;
      }
      if (feeAt >= 0 && (fields[feeAt] ?? '').trim() !== '') {
        const fee = parseMinorUnits(fields[feeAt], exponent, line);
        if (fee < 0n)
          throw new SettlementError(
            'AMOUNT_NEGATIVE',
            `fee must not be negative, got ${fields[feeAt]}`,
            line,
          );
        t.feeMinor = fee;
      }
      firstLine.set(id, line);
      transfers.push(t);
    } catch (e) {
      if (!(e instanceof SettlementError)) throw e;
      errors.push(e.line === undefined ? new SettlementError(e.code, e.message, line) : e);
    }
  }
  return { transfers, errors };
}
