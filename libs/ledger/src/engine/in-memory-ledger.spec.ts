import { TestClock } from '../clock';
import { ledgerContract } from '../contract/ledger-contract';
import { InMemoryLedger } from './in-memory-ledger';

ledgerContract('InMemoryLedger', () => {
  const clock = new TestClock();
  return { ledger: new InMemoryLedger(clock), clock };
});
