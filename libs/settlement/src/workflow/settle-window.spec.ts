import { TestClock } from '@paylend/ledger';
import { TransferColumnsBuilder } from '../netting/transfer-columns';
import { SettlementPosting } from '../posting/settlement-posting';
import { MERCHANTS, MODEL, TRANSFERS, WINDOW_ID, window42 } from '../reconciliation/fixtures/window-42';
import { SettlementReport } from '../report/settlement-report';
import { openWindow, transition } from '../window/settlement-window';
import { WindowSettlementPorts, settleWindow } from './settle-window';

class MemoryPorts implements WindowSettlementPorts {
  readonly journal = new Map<string, SettlementPosting>();
  batches = 0;
  reports: SettlementReport[] = [];
  async loadTransfers() {
    const b = new TransferColumnsBuilder();
    for (const t of TRANSFERS) b.add(t.payer, t.payee, t.amountMinor, t.currency, t.kind, t.feeMinor ?? 0n);
    return b.build();
  }
  async recordedPostingIds(ids: readonly string[]) {
    return new Set(ids.filter((id) => this.journal.has(id)));
  }
  async postBatch(postings: readonly SettlementPosting[]) {
    this.batches += 1;
    for (const p of postings) this.journal.set(p.id, p);
  }
  async saveReport(r: SettlementReport) {
    this.reports.push(r);
  }
}

describe('settleWindow', () => {
  it('reads, nets, posts once and reports; settling again posts nothing', async () => {
    const clock = new TestClock('2026-11-28T16:00:00Z');
    const w = transition(
      transition(openWindow('qr-cny', 42, clock, WINDOW_ID), 'close', clock),
      'startSettlement',
      clock,
    );
    const ports = new MemoryPorts();
    const first = await settleWindow(w, MODEL, MERCHANTS, ports, { executionDate: '2026-11-28' });
    expect(first.posted).toEqual(window42().postings);
    expect(first.instructions).toEqual(window42().instructions);
    const second = await settleWindow(w, MODEL, MERCHANTS, ports, { executionDate: '2026-11-28' });
    expect(second.posted).toEqual([]);
    expect(second.postings).toEqual(first.postings);
    expect(ports.batches).toBe(1);
    expect(ports.journal.size).toBe(5);
    expect(ports.reports[1]).toEqual(ports.reports[0]);
  });
});
