import fc from 'fast-check';
import { TestClock } from '@paylend/ledger';
import { parseMinorUnits } from '../amount/minor-units';
import { instructionsFor } from '../instruction/instructions';
import { transfersArb } from '../netting/arbitraries';
import { net } from '../netting/net';
import { WINDOW_ID, fixture, window42, window42Report } from '../reconciliation/fixtures/window-42';
import { openWindow, transition } from '../window/settlement-window';
import { instructionsFromReport } from './report-instructions';
import { report, toCsv, toJson } from './settlement-report';

const clock = new TestClock('2026-11-28T00:00:00.000Z');
const closedWindow = () => transition(openWindow('qr-cny', 42, clock, WINDOW_ID), 'close', clock);

describe('settlement report', () => {
  it('has per-participant rows with gross, fees, refunds, net and the payout reference', () => {
    const { result, instructions } = window42();
    const r = report(closedWindow(), result, instructions);
    expect(r).toMatchObject({
      windowId: WINDOW_ID,
      scheme: 'qr-cny',
      status: 'CLOSED',
      model: 'multilateral-net',
    });
    expect(r.rows.find((x) => x.participant === 'merchant:M1')).toEqual({
      participant: 'merchant:M1',
      currency: 'CNY',
      transferCount: 2,
      grossIn: '1250.50',
      grossOut: '0.00',
      refunds: '0.00',
      fees: '7.50',
      net: '1243.00',
      payoutReference: 'PLP-AHHS7PBMJMDUZNLFP42Y',
      payoutAmount: '1243.00',
      collectionReference: '',
      collectionAmount: '',
      bankAccount: '6222020200112233445',
      executionDate: '2026-11-28',
    });
    expect(r.rows.find((x) => x.participant === 'merchant:M5')).toMatchObject({
      refunds: '400.00',
      net: '-300.60',
      collectionAmount: '300.60',
    });
    expect(r.rows.find((x) => x.participant === 'platform:fees')).toMatchObject({
      fees: '-15.72',
      net: '15.72',
      payoutReference: '',
    });
    expect(r.totals).toEqual([
      {
        currency: 'CNY',
        transferCount: 7,
        volume: '3020.50',
        fees: '15.72',
        payouts: '2505.38',
        collections: '300.60',
        net: '0.00',
      },
    ]);
  });

  it('CSV and JSON forms carry the instructions back out unchanged', () => {
    const { result, instructions } = window42();
    const r = report(closedWindow(), result, instructions);
    const strip = instructions.map(({ accountName: _a, ledgerAccountId: _l, ...rest }) => rest);
    expect(instructionsFromReport(toJson(r))).toEqual(strip);
    expect(instructionsFromReport(toCsv(r))).toEqual(strip);
    const csv = toCsv(r).split('\n');
    expect(csv[0]).toBe(
      'window_id,participant,currency,transfer_count,gross_in,gross_out,refunds,fees,net,payout_reference,payout_amount,collection_reference,collection_amount,bank_account,execution_date',
    );
    expect(csv).toHaveLength(r.rows.length + 2);
  });

  it('every row satisfies net = gross_in - gross_out - refunds - fees', () => {
    fc.assert(
      fc.property(transfersArb(), (transfers) => {
        const result = net(transfers, { kind: 'multilateral-net', feeParticipant: 'fees' }, 'w');
        const r = report(closedWindow(), result, instructionsFor(result, { p1: { bankAccount: 'A' } }));
        for (const row of r.rows) {
          const e = row.currency === 'JPY' ? 0 : row.currency === 'KWD' ? 3 : 2;
          const m = (s: string) => parseMinorUnits(s, e);
          expect(m(row.net)).toBe(m(row.grossIn) - m(row.grossOut) - m(row.refunds) - m(row.fees));
        }
      }),
    );
  });

  it('the report fixtures the CLI tests read are what the engine writes today', () => {
    expect(fixture('window-42.report.json')).toBe(toJson(window42Report()));
    expect(fixture('window-42.report.csv')).toBe(toCsv(window42Report()));
  });
});
