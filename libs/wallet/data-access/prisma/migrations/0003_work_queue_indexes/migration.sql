-- By hand (Prisma cannot express partial indexes): the expiry sweep polls every second for open holds and
-- pending withdrawals past their expiry. The (status, expires_at) indexes it read held every hold and
-- withdrawal ever made, and each one resolved early left a dead 'open' (or 'pending') entry that drifts into
-- the polled range once its expiry passes: each poll walked them all until vacuum. These hold only what can
-- still expire, in the order the sweep reads them.
DROP INDEX "holds_status_expires_at_idx";
CREATE INDEX "holds_open_expires_at_idx" ON "holds" ("expires_at", "id")
  WHERE "status" = 'open' AND "expires_at" IS NOT NULL;
DROP INDEX "withdrawals_status_expires_at_idx";
CREATE INDEX "withdrawals_pending_expires_at_idx" ON "withdrawals" ("expires_at", "id")
  WHERE "status" = 'pending';
