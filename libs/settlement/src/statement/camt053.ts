import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { SettlementError } from '../errors/settlement-error';
import { BankDirection, ParsedStatement, StatementEntry, StatementTransaction } from './statement-entry';

type XmlNode = { [key: string]: XmlValue };
type XmlValue = string | XmlNode | XmlValue[] | undefined;

const ARRAYS = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Bal']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Amounts stay strings: a number conversion here would be a float.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

/**
 * Parses an ISO 20022 camt.053 bank-to-customer statement (versions .001.02 to .001.13 share the parts read
 * here). Batch-booked entries keep their TxDtls as `transactions`; reversals keep RvslInd.
 */
export function parseCamt053(xml: string, exponentOf: ExponentOf = isoExponent): ParsedStatement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new SettlementError(
      'STATEMENT_MALFORMED',
      `camt.053 is not well-formed XML: ${valid.err.msg}`,
      valid.err.line,
    );
  }
  const doc = parser.parse(xml) as XmlNode;
  const root = node(doc['Document']);
  // The parser drops xmlns attributes along with prefixes, so read the version from the source.
  const version = /urn:iso:std:iso:20022:tech:xsd:camt\.053\.\d{3}\.(\d{2})/.exec(xml);
  const stmtRoot = node(root?.['BkToCstmrStmt']);
  if (!root || !stmtRoot) {
    throw new SettlementError(
      'STATEMENT_MALFORMED',
      'not a camt.053 document: expected Document/BkToCstmrStmt',
      1,
    );
  }
  const ntryLines = elementLines(xml, 'Ntry');
  const txLines = elementLines(xml, 'TxDtls');
  let ntryIndex = 0;
  let txIndex = 0;
  const entries: StatementEntry[] = [];
  for (const stmt of nodes(stmtRoot['Stmt'])) {
    const statementId = text(stmt['Id']) ?? 'statement';
    const accountCurrency = text(node(stmt['Acct'])?.['Ccy']);
    for (const ntry of nodes(stmt['Ntry'])) {
      const line = ntryLines[ntryIndex] ?? 0;
      ntryIndex += 1;
      const amt = amount(ntry['Amt'], exponentOf, line, accountCurrency);
      const direction = creditDebit(ntry['CdtDbtInd'], line);
      const details = nodes(ntry['NtryDtls']);
      const transactions: StatementTransaction[] = [];
      const references: string[] = [];
      for (const d of details) {
        const btch = node(d['Btch']);
        if (btch) push(references, text(btch['PmtInfId']), text(btch['MsgId']));
        for (const tx of nodes(d['TxDtls'])) {
          const txLine = txLines[txIndex] ?? line;
          txIndex += 1;
          transactions.push(transaction(tx, exponentOf, txLine, amt.currency));
        }
      }
      const ntryRef = text(ntry['NtryRef']);
      const servicerRef = text(ntry['AcctSvcrRef']);
      push(references, ntryRef, servicerRef, ...remittance(ntry));
      entries.push({
        entryId: servicerRef ?? ntryRef ?? `${statementId}#${entries.length + 1}`,
        line,
        statementId,
        currency: amt.currency,
        amountMinor: amt.minor,
        direction,
        reversal: text(ntry['RvslInd']) === 'true',
        status: status(ntry['Sts']),
        bookingDate: date(ntry['BookgDt']) ?? date(ntry['ValDt']) ?? '',
        valueDate: date(ntry['ValDt']) ?? date(ntry['BookgDt']) ?? '',
        references,
        transactions,
      });
    }
  }
  return { format: version ? `camt.053.001.${version[1]}` : 'camt.053.001.02', entries };
}

function transaction(
  tx: XmlNode,
  exponentOf: ExponentOf,
  line: number,
  entryCurrency: string,
): StatementTransaction {
  const refs = node(tx['Refs']);
  const references: string[] = [];
  push(
    references,
    text(refs?.['EndToEndId']),
    text(refs?.['InstrId']),
    text(refs?.['PmtInfId']),
    text(refs?.['TxId']),
    text(refs?.['AcctSvcrRef']),
    ...remittance(tx),
  );
  // .08 puts the amount in TxDtls/Amt; .02 only in AmtDtls/TxAmt/Amt (or InstdAmt).
  const amtDtls = node(tx['AmtDtls']);
  const raw = tx['Amt'] ?? node(amtDtls?.['TxAmt'])?.['Amt'] ?? node(amtDtls?.['InstdAmt'])?.['Amt'];
  const result: StatementTransaction = { line, references: references.filter((r) => r !== 'NOTPROVIDED') };
  if (raw !== undefined) {
    const a = amount(raw, exponentOf, line, entryCurrency);
    result.amountMinor = a.minor;
    result.currency = a.currency;
  }
  return result;
}

function amount(raw: XmlValue, exponentOf: ExponentOf, line: number, fallbackCurrency?: string) {
  const n = node(raw);
  const value = n ? text(n['#text']) : text(raw);
  const currency = (n ? text(n['@_Ccy']) : undefined) ?? fallbackCurrency;
  if (value === undefined || currency === undefined) {
    throw new SettlementError('STATEMENT_MALFORMED', 'Amt needs a value and a Ccy attribute', line);
  }
  const minor = parseMinorUnits(value, requireExponent(exponentOf, currency, line), line);
  if (minor < 0n) {
    throw new SettlementError(
      'AMOUNT_NEGATIVE',
      `camt.053 amounts are unsigned (CdtDbtInd gives the sign), got ${value}`,
      line,
    );
  }
  return { minor, currency };
}

function creditDebit(raw: XmlValue, line: number): BankDirection {
  const v = text(raw);
  if (v === 'CRDT') return 'credit';
  if (v === 'DBIT') return 'debit';
  throw new SettlementError('STATEMENT_MALFORMED', `CdtDbtInd must be CRDT or DBIT, got "${v ?? ''}"`, line);
}

function status(raw: XmlValue): StatementEntry['status'] {
  const code = text(raw) ?? text(node(raw)?.['Cd']);
  if (code === 'PDNG') return 'pending';
  if (code === 'INFO') return 'info';
  return 'booked';
}

function date(raw: XmlValue): string | undefined {
  const n = node(raw);
  const d = text(n?.['Dt']) ?? text(n?.['DtTm']);
  return d?.slice(0, 10);
}

function remittance(n: XmlNode): string[] {
  const rmt = node(n['RmtInf']);
  const out: string[] = [];
  for (const u of list(rmt?.['Ustrd'])) {
    const t = text(u);
    if (t) out.push(t);
  }
  const strd = node(rmt?.['Strd']);
  const cdtrRef = text(node(node(strd?.['CdtrRefInf']))?.['Ref']);
  if (cdtrRef) out.push(cdtrRef);
  return out;
}

/** Line numbers of each opening <Name ...> tag in document order (namespace prefix allowed). */
function elementLines(xml: string, name: string): number[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}[\\s>/]`, 'g');
  const lines: number[] = [];
  let line = 1;
  let pos = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    for (let i = pos; i < m.index; i++) if (xml.charCodeAt(i) === 10) line += 1;
    pos = m.index;
    lines.push(line);
  }
  return lines;
}

function push(into: string[], ...values: (string | undefined)[]): void {
  for (const v of values) if (v && !into.includes(v)) into.push(v);
}

function list(v: XmlValue): XmlValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function nodes(v: XmlValue): XmlNode[] {
  return list(v).flatMap((x) => {
    const n = node(x);
    return n ? [n] : [];
  });
}

function node(v: XmlValue): XmlNode | undefined {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function text(v: XmlValue): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  const n = node(v);
  if (n && typeof n['#text'] === 'string') return n['#text'];
  return undefined;
}
