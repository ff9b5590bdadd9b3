-- By hand (Prisma cannot express a partial index): the expiry sweep reads only CREATED orders by expiry. The
-- index on (status, expires_at) held every order ever made, and took two new entries on each payment (its
-- CREATED -> PENDING -> SUCCEEDED updates change status); this one holds only the orders that can still expire.
DROP INDEX "orders_status_expires_at_idx";
CREATE INDEX "orders_created_expires_at_idx" ON "orders" ("expires_at") WHERE "status" = 'CREATED';
