-- By hand (Prisma cannot express an expression index): clearing finds an order's hold captures, and
-- reconciliation its payouts and collections, by the reference in the transfer's metadata. Without an index
-- each clearing chunk scanned the whole journal; partial, so only the transfers looked up this way pay for it.
CREATE INDEX transfers_settlement_reference_idx ON ledger.transfers ((metadata->>'reference'), code)
  WHERE code IN ('hold-capture', 'settlement.payout', 'settlement.collection');
