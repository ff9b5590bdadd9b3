import { specWaitingRowIndexes } from '@paylend/testing';
import { walletRepository, type Sql } from './wallet.repository';

/*
 * The wallet's expiry sweep polls every second: it must read indexes of the holds and withdrawals that can
 * still expire, in the order it takes them, not of every one ever made.
 */

const now = new Date('2026-11-28T09:00:00.000Z');

specWaitingRowIndexes<Sql>({
  database: 'wallet_work_queue_indexes',
  migrations: [
    'libs/messaging/migrations',
    'libs/ledger/prisma/migrations',
    'libs/wallet/data-access/prisma/migrations',
  ],
  queries: [
    {
      sweep: 'hold expiry',
      call: (sql) => walletRepository.dueHolds(sql, now, 500),
      index: 'holds_open_expires_at_idx',
      inIndexOrder: true,
    },
    {
      sweep: 'withdrawal timeout',
      call: (sql) => walletRepository.dueWithdrawals(sql, now, 500),
      index: 'withdrawals_pending_expires_at_idx',
      inIndexOrder: true,
    },
  ],
  predicates: {
    holds_open_expires_at_idx: "((status = 'open'::text) AND (expires_at IS NOT NULL))",
    withdrawals_pending_expires_at_idx: "(status = 'pending'::text)",
  },
});
