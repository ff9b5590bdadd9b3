import { parseMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { readCsv } from '../csv/csv';
import { SettlementError } from '../errors/settlement-error';
import { InstructionDirection, SettlementInstruction } from '../instruction/settlement-instruction';
import { REPORT_CSV_COLUMNS } from './settlement-report';

interface RowLike {
  line: number;
  windowId: string;
  participant: string;
  currency: string;
  payoutReference: string;
  payoutAmount: string;
  collectionReference: string;
  collectionAmount: string;
  bankAccount: string;
  executionDate: string;
}

/**
 * Reads the payout and collection instructions back out of a settlement report (its JSON or CSV form), so
 * an operator can reconcile a bank statement against the report alone.
 */
export function instructionsFromReport(
  text: string,
  exponentOf: ExponentOf = isoExponent,
): SettlementInstruction[] {
  const rows = text.trimStart().startsWith('{') ? jsonRows(text) : csvRows(text);
  const out: SettlementInstruction[] = [];
  for (const row of rows) {
    const exponent = requireExponent(exponentOf, row.currency, row.line);
    const legs: [InstructionDirection, string, string][] = [
      ['payout', row.payoutReference, row.payoutAmount],
      ['collection', row.collectionReference, row.collectionAmount],
    ];
    for (const [direction, reference, amount] of legs) {
      if (reference === '') continue;
      const amountMinor = parseMinorUnits(amount, exponent, row.line);
      const i: SettlementInstruction = {
        reference,
        windowId: row.windowId,
        participant: row.participant,
        currency: row.currency,
        direction,
        amountMinor,
        amount,
        bankAccount: row.bankAccount,
      };
      if (row.executionDate !== '') i.executionDate = row.executionDate;
      out.push(i);
    }
  }
  return out;
}

function jsonRows(text: string): RowLike[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SettlementError(
      'REPORT_MALFORMED',
      `settlement report is not valid JSON: ${(e as Error).message}`,
    );
  }
  const r = parsed as { windowId?: unknown; rows?: unknown };
  if (typeof r.windowId !== 'string' || !Array.isArray(r.rows)) {
    throw new SettlementError('REPORT_MALFORMED', 'settlement report JSON needs "windowId" and "rows"');
  }
  const windowId = r.windowId;
  return r.rows.map((raw: unknown, i: number) => {
    const row = raw as Record<string, unknown>;
    const s = (k: string): string => {
      const v = row[k] ?? '';
      if (typeof v !== 'string')
        throw new SettlementError('REPORT_MALFORMED', `rows[${i}].${k} must be a string`);
      return v;
    };
    return {
      line: i + 1,
      windowId,
      participant: s('participant'),
      currency: s('currency'),
      payoutReference: s('payoutReference'),
      payoutAmount: s('payoutAmount'),
      collectionReference: s('collectionReference'),
      collectionAmount: s('collectionAmount'),
      bankAccount: s('bankAccount'),
      executionDate: s('executionDate'),
    };
  });
}

function csvRows(text: string): RowLike[] {
  const [header, ...records] = readCsv(text);
  const columns = header?.fields.map((f) => f.trim()) ?? [];
  const missing = REPORT_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (!header || missing.length > 0) {
    throw new SettlementError(
      'CSV_HEADER',
      `settlement report CSV lacks columns: ${missing.join(', ')}`,
      header?.line ?? 1,
    );
  }
  const at = (fields: string[], c: (typeof REPORT_CSV_COLUMNS)[number]) =>
    (fields[columns.indexOf(c)] ?? '').trim();
  return records.map(({ line, fields }) => {
    if (fields.length !== columns.length)
      throw new SettlementError('CSV_LINE', `expected ${columns.length} fields, got ${fields.length}`, line);
    return {
      line,
      windowId: at(fields, 'window_id'),
      participant: at(fields, 'participant'),
      currency: at(fields, 'currency'),
      payoutReference: at(fields, 'payout_reference'),
      payoutAmount: at(fields, 'payout_amount'),
      collectionReference: at(fields, 'collection_reference'),
      collectionAmount: at(fields, 'collection_amount'),
      bankAccount: at(fields, 'bank_account'),
      executionDate: at(fields, 'execution_date'),
    };
  });
}
