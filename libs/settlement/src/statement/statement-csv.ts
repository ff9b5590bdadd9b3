import { parseMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { readCsv } from '../csv/csv';
import { SettlementError } from '../errors/settlement-error';
import { BankDirection, ParsedStatement, StatementEntry } from './statement-entry';

const REQUIRED = ['date', 'amount', 'currency', 'reference'] as const;
const OPTIONAL = ['value_date', 'direction', 'reversal', 'entry_id', 'description'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/**
 * The simple bank CSV: header with at least `date,amount,currency,reference` (any order, case-insensitive);
 * optional `value_date,direction,reversal,entry_id,description`. Without a `direction` column the amount is
 * signed (negative = money left our account). One line covering several payouts lists their references
 * separated by `;` in `reference`.
 */
export function parseStatementCsv(text: string, exponentOf: ExponentOf = isoExponent): ParsedStatement {
  const records = readCsv(text);
  const header = records[0];
  if (!header)
    throw new SettlementError(
      'CSV_HEADER',
      `empty statement: expected a header with ${REQUIRED.join(',')}`,
      1,
    );
  const index = new Map<Column, number>();
  header.fields.forEach((f, i) => {
    const name = f.trim().toLowerCase() as Column;
    if ((REQUIRED as readonly string[]).includes(name) || (OPTIONAL as readonly string[]).includes(name))
      index.set(name, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new SettlementError(
      'CSV_HEADER',
      `statement header lacks ${missing.join(', ')} (needs ${REQUIRED.join(',')})`,
      header.line,
    );
  }
  const get = (fields: string[], c: Column): string | undefined => {
    const i = index.get(c);
    const v = i === undefined ? undefined : fields[i]?.trim();
    return v === '' ? undefined : v;
  };
  const entries: StatementEntry[] = [];
  for (const { line, fields } of records.slice(1)) {
    if (fields.length !== header.fields.length) {
      throw new SettlementError(
        'CSV_LINE',
        `expected ${header.fields.length} fields, got ${fields.length}`,
        line,
      );
    }
    const date = get(fields, 'date');
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new SettlementError('CSV_LINE', `date must be YYYY-MM-DD, got "${date ?? ''}"`, line);
    const valueDate = get(fields, 'value_date') ?? date;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(valueDate))
      throw new SettlementError('CSV_LINE', `value_date must be YYYY-MM-DD`, line);
    const currency = (get(fields, 'currency') ?? '').toUpperCase();
    const signed = parseMinorUnits(
      get(fields, 'amount') ?? '',
      requireExponent(exponentOf, currency, line),
      line,
    );
    const dirText = get(fields, 'direction')?.toLowerCase();
    let direction: BankDirection;
    if (dirText === undefined) direction = signed < 0n ? 'debit' : 'credit';
    else if (dirText === 'debit' || dirText === 'd' || dirText === 'dbit') direction = 'debit';
    else if (dirText === 'credit' || dirText === 'c' || dirText === 'crdt') direction = 'credit';
    else throw new SettlementError('CSV_LINE', `direction must be debit or credit, got "${dirText}"`, line);
    if (dirText !== undefined && signed < 0n) {
      throw new SettlementError(
        'AMOUNT_NEGATIVE',
        'amount must be unsigned when a direction column is present',
        line,
      );
    }
    const reversalText = get(fields, 'reversal')?.toLowerCase();
    if (reversalText !== undefined && !['true', 'false', '1', '0', 'yes', 'no'].includes(reversalText)) {
      throw new SettlementError('CSV_LINE', `reversal must be true or false, got "${reversalText}"`, line);
    }
    const references = (get(fields, 'reference') ?? '')
      .split(';')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const description = get(fields, 'description');
    entries.push({
      entryId: get(fields, 'entry_id') ?? `line-${line}`,
      line,
      statementId: 'csv',
      currency,
      amountMinor: signed < 0n ? -signed : signed,
      direction,
      reversal: reversalText === 'true' || reversalText === '1' || reversalText === 'yes',
      status: 'booked',
      bookingDate: date,
      valueDate,
      references: description ? [...references, description] : references,
      // Several references on one line is a batch: one transaction per reference, amounts unknown.
      transactions: references.length > 1 ? references.map((r) => ({ line, references: [r] })) : [],
    });
  }
  return { format: 'csv', entries };
}
