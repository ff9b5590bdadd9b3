import { specWaitingRowIndexes } from '@paylend/testing';
import type { Sql } from './common/sql';
import { orderRepository } from './order/order.repository';
import { webhookRepository } from './webhook/webhook.repository';

/*
 * The sweeps that poll this database (order expiry, pending recovery, webhook dispatch) must read indexes of
 * the rows still waiting, not of every order or delivery ever made: otherwise each poll grows with history.
 */

const now = new Date('2026-11-28T09:00:00.000Z');

specWaitingRowIndexes<Sql>({
  database: 'work_queue_indexes',
  migrations: ['libs/messaging/migrations', 'libs/payments/data-access/prisma/migrations'],
  queries: [
    {
      sweep: 'order expiry',
      call: (sql) => orderRepository.expireDue(sql, now, 10),
      index: 'orders_created_expires_at_idx',
    },
    {
      sweep: 'pending recovery',
      call: (sql) => orderRepository.pendingSince(sql, now, 10),
      index: 'orders_pending_updated_at_idx',
    },
    {
      sweep: 'webhook dispatch',
      call: (sql) => webhookRepository.claimDue(sql, 10, 30_000),
      index: 'webhook_deliveries_due_idx',
    },
  ],
  predicates: {
    orders_created_expires_at_idx: "(status = 'CREATED'::text)",
    orders_pending_updated_at_idx: "(status = 'PENDING'::text)",
    webhook_deliveries_due_idx: '((delivered_at IS NULL) AND (failed_at IS NULL))',
  },
});
