-- AlterTable
ALTER TABLE "refunds" ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'succeeded';

-- By hand (Prisma cannot express these). A refund is written "pending" before its wallet transfer is asked
-- for and becomes "succeeded" once the wallet confirms it: an unanswered transfer keeps its amount reserved,
-- so a second refund cannot pay out what the first may already have paid.
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_status_check" CHECK ("status" IN ('pending', 'succeeded'));
-- The refund recovery sweep and the reservation sum read only refunds still pending.
CREATE INDEX "refunds_pending_idx" ON "refunds" ("order_id", "created_at") WHERE "status" = 'pending';
