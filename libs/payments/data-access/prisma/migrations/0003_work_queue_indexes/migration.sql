-- By hand (Prisma cannot express partial indexes): the three sweeps that poll this database read only rows
-- still waiting, so their indexes hold only those. The full indexes they replace held every order and every
-- delivery ever made: the webhook dispatcher's "next_attempt_at <= now()" walked every delivered row on each
-- poll, and each payment's CREATED -> PENDING -> SUCCEEDED updates added two entries to (status, expires_at).
DROP INDEX "orders_status_expires_at_idx";
-- The expiry sweep: CREATED orders past their expiry.
CREATE INDEX "orders_created_expires_at_idx" ON "orders" ("expires_at") WHERE "status" = 'CREATED';
-- Pending recovery: PENDING orders untouched for a while.
CREATE INDEX "orders_pending_updated_at_idx" ON "orders" ("updated_at") WHERE "status" = 'PENDING';
DROP INDEX "webhook_deliveries_next_attempt_at_idx";
-- The webhook dispatcher: deliveries neither made nor given up, by their next attempt.
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at")
  WHERE "delivered_at" IS NULL AND "failed_at" IS NULL;
