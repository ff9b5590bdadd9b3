import type { OrderKind, OrderStatus, OrderView } from '@paylend/contracts';
import { Money } from '@paylend/ledger';
import type { Sql } from '../common/sql';
import type { OrderState } from './order-state';

export interface OrderRow {
  id: string;
  merchantId: string;
  kind: OrderKind;
  status: OrderStatus;
  currency: string;
  amountMinor: bigint;
  capturedMinor: bigint;
  feeMinor: bigint;
  refundedMinor: bigint;
  reference: string | null;
  qrPayload: string | null;
  payerWalletId: string | null;
  payerUserId: string | null;
  holdId: string | null;
  failureCode: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  requestHash: string;
}

interface RawOrderRow extends Omit<OrderRow, 'amountMinor' | 'capturedMinor' | 'feeMinor' | 'refundedMinor'> {
  amountMinor: string;
  capturedMinor: string;
  feeMinor: string;
  refundedMinor: string;
}

const COLUMNS = `id, merchant_id AS "merchantId", kind, status, currency, amount_minor AS "amountMinor",
  captured_minor AS "capturedMinor", fee_minor AS "feeMinor", refunded_minor AS "refundedMinor", reference,
  qr_payload AS "qrPayload", payer_wallet_id AS "payerWalletId", payer_user_id AS "payerUserId", hold_id AS "holdId",
  failure_code AS "failureCode", expires_at AS "expiresAt", created_at AS "createdAt", updated_at AS "updatedAt",
  request_hash AS "requestHash"`;

function fromDb(r: RawOrderRow): OrderRow {
  return {
    ...r,
    amountMinor: BigInt(r.amountMinor),
    capturedMinor: BigInt(r.capturedMinor),
    feeMinor: BigInt(r.feeMinor),
    refundedMinor: BigInt(r.refundedMinor),
  };
}

export function stateOf(o: OrderRow): OrderState {
  return {
    status: o.status,
    amount: o.amountMinor,
    captured: o.capturedMinor,
    fee: o.feeMinor,
    refunded: o.refundedMinor,
    expiresAt: o.expiresAt,
  };
}

export interface OrderChange {
  state: OrderState;
  payerWalletId?: string | null;
  payerUserId?: string | null;
  holdId?: string | null;
  failureCode?: string | null;
  detail?: string;
}

export const orderRepository = {
  async get(sql: Sql, id: string, lock = false): Promise<OrderRow | null> {
    const { rows } = await sql.query<RawOrderRow>(
      `SELECT ${COLUMNS} FROM orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? fromDb(rows[0]) : null;
  },

  /** Inserts a new order; null when the id is taken (the caller compares request hashes). */
  async insert(
    sql: Sql,
    o: Omit<
      OrderRow,
      'capturedMinor' | 'feeMinor' | 'refundedMinor' | 'failureCode' | 'holdId' | 'updatedAt'
    >,
  ): Promise<OrderRow | null> {
    const { rows } = await sql.query<RawOrderRow>(
      `INSERT INTO orders (id, merchant_id, kind, status, currency, amount_minor, reference, qr_payload,
         payer_wallet_id, payer_user_id, expires_at, created_at, updated_at, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
       ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        o.id,
        o.merchantId,
        o.kind,
        o.status,
        o.currency,
        o.amountMinor.toString(),
        o.reference,
        o.qrPayload,
        o.payerWalletId,
        o.payerUserId,
        o.expiresAt,
        o.createdAt,
        o.requestHash,
      ],
    );
    if (!rows[0]) return null;
    await sql.query(
      `INSERT INTO order_history (order_id, from_status, to_status, detail, at) VALUES ($1, NULL, $2, $3, $4)`,
      [o.id, o.status, o.kind, o.createdAt],
    );
    return fromDb(rows[0]);
  },

  /** Writes a state the state machine produced, with its history line. */
  async save(sql: Sql, before: OrderRow, change: OrderChange, at: Date): Promise<OrderRow> {
    return (await orderRepository.saveMany(sql, [{ before, change }], at))[0]!;
  },

  /**
   * Rows of `ids` that exist; with `lock`, row-locked in id order, so concurrent batches that share orders
   * queue instead of deadlocking.
   */
  async getMany(sql: Sql, ids: readonly string[], lock = false): Promise<Map<string, OrderRow>> {
    const { rows } = await sql.query<RawOrderRow>(
      `SELECT ${COLUMNS} FROM orders WHERE id = ANY($1::text[]) ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, fromDb(r)]));
  },

  /**
   * Writes states the state machine produced, one per order, with their history lines, in one statement;
   * returns the saved rows in the order of `changes`.
   */
  async saveMany(
    sql: Sql,
    changes: ReadonlyArray<{ before: OrderRow; change: OrderChange }>,
    at: Date,
  ): Promise<OrderRow[]> {
    if (changes.length === 0) return [];
    const ids = changes.map((c) => c.before.id);
    if (new Set(ids).size !== ids.length) throw new Error('saveMany: one change per order');
    const col = <T>(f: (c: { before: OrderRow; change: OrderChange }) => T) => changes.map(f);
    const history = changes.filter((c) => c.before.status !== c.change.state.status || c.change.detail);
    const { rows } = await sql.query<RawOrderRow>(
      `WITH u AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[],
           $7::text[], $8::text[], $9::text[])
           AS u(id, status, captured, fee, refunded, payer_wallet_id, payer_user_id, hold_id, failure_code)
       ), upd AS (
         UPDATE orders o SET status = u.status, captured_minor = u.captured, fee_minor = u.fee,
           refunded_minor = u.refunded, payer_wallet_id = COALESCE(u.payer_wallet_id, o.payer_wallet_id),
           payer_user_id = COALESCE(u.payer_user_id, o.payer_user_id), hold_id = COALESCE(u.hold_id, o.hold_id),
           failure_code = COALESCE(u.failure_code, o.failure_code), updated_at = $10
         FROM u WHERE o.id = u.id RETURNING o.*
       ), hist AS (
         INSERT INTO order_history (order_id, from_status, to_status, detail, at)
         SELECT h.order_id, h.from_status, h.to_status, h.detail, $10
         FROM unnest($11::text[], $12::text[], $13::text[], $14::text[]) WITH ORDINALITY
           AS h(order_id, from_status, to_status, detail, n)
         ORDER BY h.n
       )
       SELECT ${COLUMNS} FROM upd`,
      [
        ids,
        col((c) => c.change.state.status),
        col((c) => c.change.state.captured.toString()),
        col((c) => c.change.state.fee.toString()),
        col((c) => c.change.state.refunded.toString()),
        col((c) => c.change.payerWalletId ?? null),
        col((c) => c.change.payerUserId ?? null),
        col((c) => c.change.holdId ?? null),
        col((c) => c.change.failureCode ?? null),
        at,
        history.map((c) => c.before.id),
        history.map((c) => c.before.status),
        history.map((c) => c.change.state.status),
        history.map((c) => c.change.detail ?? null),
      ],
    );
    const saved = new Map(rows.map((r) => [r.id, fromDb(r)]));
    return ids.map((id) => {
      const row = saved.get(id);
      if (!row) throw new Error(`order ${id} vanished while it was being saved`);
      return row;
    });
  },

  /** Expires every CREATED order past its expiry, set-based; returns what it expired. */
  async expireDue(sql: Sql, now: Date, limit: number): Promise<OrderRow[]> {
    const { rows } = await sql.query<RawOrderRow>(
      `WITH due AS (
         SELECT id FROM orders WHERE status = 'CREATED' AND expires_at <= $1
         ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), upd AS (
         UPDATE orders o SET status = 'EXPIRED', updated_at = $1 FROM due WHERE o.id = due.id RETURNING o.*
       ), hist AS (
         INSERT INTO order_history (order_id, from_status, to_status, detail, at)
         SELECT id, 'CREATED', 'EXPIRED', 'expiry sweep', $1 FROM upd
       )
       SELECT ${COLUMNS} FROM upd`,
      [now, limit],
    );
    return rows.map(fromDb);
  },

  /** The ids of PENDING orders untouched since `cutoff`, oldest first: what recovery resolves. */
  async pendingSince(sql: Sql, cutoff: Date, limit: number): Promise<string[]> {
    const { rows } = await sql.query<{ id: string }>(
      `SELECT id FROM orders WHERE status = 'PENDING' AND updated_at <= $1 ORDER BY updated_at LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((r) => r.id);
  },

  async list(
    sql: Sql,
    q: { merchantId: string; status?: OrderStatus; after?: { createdAt: Date; id: string }; limit: number },
  ): Promise<OrderRow[]> {
    const { rows } = await sql.query<RawOrderRow>(
      `SELECT ${COLUMNS} FROM orders
       WHERE merchant_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [q.merchantId, q.status ?? null, q.after?.createdAt ?? null, q.after?.id ?? null, q.limit],
    );
    return rows.map(fromDb);
  },

  async history(
    sql: Sql,
    id: string,
  ): Promise<Array<{ fromStatus: string | null; toStatus: string; detail: string | null }>> {
    const { rows } = await sql.query<{ fromStatus: string | null; toStatus: string; detail: string | null }>(
      `SELECT from_status AS "fromStatus", to_status AS "toStatus", detail FROM order_history WHERE order_id = $1 ORDER BY id`,
      [id],
    );
    return rows;
  },
};

const money = (minor: bigint, currency: string) => Money.fromMinor(minor, currency).toJSON();

export function orderView(o: OrderRow): OrderView {
  return {
    orderId: o.id,
    merchantId: o.merchantId,
    kind: o.kind,
    status: o.status,
    amount: money(o.amountMinor, o.currency),
    captured: money(o.capturedMinor, o.currency),
    fee: money(o.feeMinor, o.currency),
    refunded: money(o.refundedMinor, o.currency),
    reference: o.reference,
    qrPayload: o.qrPayload,
    payerWalletId: o.payerWalletId,
    failureCode: o.failureCode,
    expiresAt: o.expiresAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
