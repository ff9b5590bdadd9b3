import { isoExponent } from '../currency/iso-exponent';
import { parseTransfersCsv } from './transfers-csv';

describe('parseTransfersCsv', () => {
  it('reads the operators’ file into minor units with each currency’s exponent', () => {
    const { transfers, errors } = parseTransfersCsv(
      'id,payer,payee,amount,currency\nt1,a,b,12.30,CNY\nt2,b,c,500,JPY\nt3,c,a,1.234,KWD\n',
      isoExponent,
    );
    expect(errors).toEqual([]);
    expect(transfers.map((t) => [t.id, t.amountMinor, t.currency])).toEqual([
      ['t1', 1230n, 'CNY'],
      ['t2', 500n, 'JPY'],
      ['t3', 1234n, 'KWD'],
    ]);
  });

  it('reports every malformed line with its number', () => {
    const text = [
      'id,payer,payee,amount,currency',
      't1,a,b,1.00,CNY',
      't2,a,b,1.001,CNY',
      't3,a,a,1.00,CNY',
      't1,a,b,1.00,CNY',
      't5,a,b,1.00',
      't6,a,b,-1,CNY',
      't7,a,b,1,XYZ',
    ].join('\n');
    const { errors } = parseTransfersCsv(text, isoExponent);
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'AMOUNT_TOO_PRECISE'],
      [4, 'SAME_PAYER_PAYEE'],
      [5, 'DUPLICATE_TRANSFER'],
      [6, 'CSV_LINE'],
      [7, 'AMOUNT_NEGATIVE'],
      [8, 'CURRENCY_UNKNOWN'],
    ]);
    expect(errors[2]!.message).toBe('line 5: transfer id "t1" already used on line 2');
  });

  it('insists on the header, and accepts optional kind and fee columns', () => {
    expect(parseTransfersCsv('id,from,to,amount,currency\n', isoExponent).errors[0]).toMatchObject({
      code: 'CSV_HEADER',
      line: 1,
    });
    const { transfers } = parseTransfersCsv(
      'id,payer,payee,amount,currency,kind,fee\nr1,shop,alice,5.00,CNY,refund,\np1,alice,shop,10.00,CNY,payment,0.06\n',
      isoExponent,
    );
    expect(transfers).toEqual([
      { id: 'r1', payer: 'shop', payee: 'alice', amountMinor: 500n, currency: 'CNY', kind: 'refund' },
      {
        id: 'p1',
        payer: 'alice',
        payee: 'shop',
        amountMinor: 1000n,
        currency: 'CNY',
        kind: 'payment',
        feeMinor: 6n,
      },
    ]);
  });
});
