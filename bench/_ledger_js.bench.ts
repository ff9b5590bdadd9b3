import { validateTransfer, evaluateBatch, TransferInput, AccountState } from '@paylend/ledger';
const N = 10000;
const batch: TransferInput[] = Array.from({ length: 2000 }, (_, i) => ({ id: `t${i}`, debitAccountId: `w${i % N}`, creditAccountId: `w${(i * 7 + 1) % N}`, amount: '1.23', currency: 'CNY', code: 'p' }));
for (let r = 0; r < 5; r++) {
  let t = performance.now();
  const v = batch.map((x) => validateTransfer(x));
  const tv = performance.now() - t;
  const accounts = new Map<string, AccountState>();
  for (let i = 0; i < N; i++) accounts.set(`w${i}`, { spec: { id: `w${i}`, currency: 'CNY', normalSide: 'credit', ownerRef: null, debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false, creditLimitMinor: 0n }, status: 'active', balance: { debitsPosted: 0n, creditsPosted: 10000000n, debitsPending: 0n, creditsPending: 0n } });
  t = performance.now();
  evaluateBatch(batch, v, { now: new Date(), accounts, existing: new Map(), pendings: new Map(), pendingStatus: new Map() });
  console.log(`validate ${tv.toFixed(1)} ms, evaluate ${(performance.now() - t).toFixed(1)} ms`);
}
