import { isoExponent } from '../currency/iso-exponent';
import { fixture } from '../reconciliation/fixtures/window-42';
import { parseCamt053 } from './camt053';
import { parseStatementCsv } from './statement-csv';

describe('parseCamt053', () => {
  it('reads a camt.053.001.08 statement with a batch-booked entry and a reversal', () => {
    const s = parseCamt053(fixture('camt053-v08-settled.xml'), isoExponent);
    expect(s.format).toBe('camt.053.001.08');
    expect(s.entries).toHaveLength(5);
    const [batch, m4, dup, reversal, collection] = s.entries;
    expect(batch).toMatchObject({
      entryId: 'ICBC2026112800017731',
      statementId: 'STMT-20261128-001',
      currency: 'CNY',
      amountMinor: 235628n,
      direction: 'debit',
      reversal: false,
      status: 'booked',
      bookingDate: '2026-11-28',
      valueDate: '2026-11-28',
    });
    expect(batch!.references).toContain('qr-cny-000042');
    expect(batch!.transactions.map((t) => [t.references[0], t.amountMinor])).toEqual([
      ['PLP-AHHS7PBMJMDUZNLFP42Y', 124300n],
      ['PLP-P6AZH5FQDB585X9769JQ', 29820n],
      ['PLP-X25R7JJBK5G6WQAF36J4', 81508n],
    ]);
    expect(m4!.transactions[0]!.references).toEqual([
      'PLP-ERHYMJ4ARLGQLRLUBX6T',
      '000042-0004',
      'PayLend settlement qr-cny-000042',
    ]);
    expect(dup!.reversal).toBe(false);
    expect(reversal).toMatchObject({ reversal: true, direction: 'credit', amountMinor: 14910n });
    expect(collection).toMatchObject({ direction: 'credit', valueDate: '2026-11-29', amountMinor: 30060n });
  });

  it('reads a camt.053.001.02 statement: plain Sts, AmtDtls amounts, NOTPROVIDED refs, pending entries', () => {
    const s = parseCamt053(fixture('camt053-v02-m4-returned.xml'), isoExponent);
    expect(s.format).toBe('camt.053.001.02');
    expect(s.entries.map((e) => [e.entryId, e.status, e.direction, e.reversal, e.amountMinor])).toEqual([
      ['CMB9912881001', 'booked', 'debit', false, 235628n],
      ['CMB9912881002', 'booked', 'debit', false, 14910n],
      ['CMB9912881002-R', 'booked', 'credit', true, 14910n],
      ['CMB9912881044', 'booked', 'credit', false, 30060n],
      ['CMB9912881090', 'pending', 'credit', false, 8800n],
    ]);
    expect(s.entries[0]!.transactions.map((t) => t.amountMinor)).toEqual([124300n, 29820n, 81508n]);
    expect(s.entries[3]!.transactions[0]!.references).toEqual(['PLC-5M2ZNZXHU763EA7U28HX']);
  });

  it('reports an amount with too many decimals with the line of its entry', () => {
    const xml = fixture('camt053-v08-wrong.xml').replace(
      '<Amt Ccy="CNY">149.10</Amt>',
      '<Amt Ccy="CNY">149.105</Amt>',
    );
    const line = xml.split('\n').findIndex((l) => l.includes('149.105'));
    const ntryLine = xml.split('\n').slice(0, line).lastIndexOf('      <Ntry>') + 1;
    expect(() => parseCamt053(xml, isoExponent)).toThrow(
      expect.objectContaining({ code: 'AMOUNT_TOO_PRECISE', line: ntryLine }),
    );
    const jpy = fixture('camt053-v08-wrong.xml').replace(
      '<Amt Ccy="CNY">55.00</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>',
      '<Amt Ccy="JPY">55.5</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>',
    );
    expect(() => parseCamt053(jpy, isoExponent)).toThrow(/allows 0/);
  });

  it('reads namespace-prefixed documents the same way', () => {
    const plain = fixture('camt053-v08-wrong.xml');
    const prefixed = plain
      .replace(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">',
        '<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">',
      )
      .replace(/<(\/?)([A-Z][A-Za-z]*)([ >])/g, '<$1c:$2$3')
      .replace('<c:c:Document', '<c:Document');
    expect(prefixed).toContain('<c:Ntry>');
    expect(parseCamt053(prefixed, isoExponent)).toEqual(parseCamt053(plain, isoExponent));
  });

  it('rejects malformed XML and documents that are not camt.053', () => {
    expect(() => parseCamt053('<Document><BkToCstmrStmt></Document>', isoExponent)).toThrow(
      expect.objectContaining({ code: 'STATEMENT_MALFORMED' }),
    );
    expect(() => parseCamt053('<Document><Other/></Document>', isoExponent)).toThrow(/BkToCstmrStmt/);
  });
});

describe('parseStatementCsv', () => {
  it('reads signed amounts, batch references and value dates', () => {
    const s = parseStatementCsv(fixture('statement-settled.csv'), isoExponent);
    expect(
      s.entries.map((e) => [
        e.entryId,
        e.line,
        e.direction,
        e.amountMinor,
        e.valueDate,
        e.transactions.length,
      ]),
    ).toEqual([
      ['B-1', 2, 'debit', 235628n, '2026-11-28', 3],
      ['B-2', 3, 'debit', 14910n, '2026-11-28', 0],
      ['B-3', 4, 'credit', 30060n, '2026-11-29', 0],
    ]);
  });

  it('supports a direction column and reversal flag', () => {
    const s = parseStatementCsv(
      'date,amount,currency,reference,direction,reversal\n2026-11-28,5,JPY,X,credit,true\n',
      isoExponent,
    );
    expect(s.entries[0]).toMatchObject({
      direction: 'credit',
      reversal: true,
      amountMinor: 5n,
      entryId: 'line-2',
    });
  });

  it('names the line of a bad amount, date or header', () => {
    expect(() =>
      parseStatementCsv(
        'date,amount,currency,reference\n2026-11-28,1.00,CNY,A\n2026-11-28,1.001,CNY,B\n',
        isoExponent,
      ),
    ).toThrow(expect.objectContaining({ code: 'AMOUNT_TOO_PRECISE', line: 3 }));
    expect(() =>
      parseStatementCsv('date,amount,currency,reference\n28/11/2026,1.00,CNY,A\n', isoExponent),
    ).toThrow(expect.objectContaining({ line: 2 }));
    expect(() => parseStatementCsv('when,amount\n', isoExponent)).toThrow(
      expect.objectContaining({ code: 'CSV_HEADER', line: 1 }),
    );
    expect(() =>
      parseStatementCsv('date,amount,currency,reference\n2026-11-28,1.00,XXX,A\n', isoExponent),
    ).toThrow(expect.objectContaining({ code: 'CURRENCY_UNKNOWN', line: 2 }));
  });
});
