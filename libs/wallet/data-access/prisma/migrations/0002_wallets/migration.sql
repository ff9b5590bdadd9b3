-- CreateTable
CREATE TABLE "wallets" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "tier" INTEGER NOT NULL DEFAULT 0,
    "ledger_account_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wallets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wallet_outflows" (
    "wallet_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "amount_minor" BIGINT NOT NULL,

    CONSTRAINT "wallet_outflows_pkey" PRIMARY KEY ("wallet_id","day")
);

-- CreateTable
CREATE TABLE "holds" (
    "id" TEXT NOT NULL,
    "wallet_id" TEXT NOT NULL,
    "to_wallet_id" TEXT,
    "credit_account" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "captured_minor" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'open',
    "reference" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdrawals" (
    "id" TEXT NOT NULL,
    "wallet_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "bank_account" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "bank_reference" TEXT,
    "failure_reason" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "withdrawals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_roles" TEXT[],
    "actor_ip" TEXT,
    "action" TEXT NOT NULL,
    "wallet_id" TEXT,
    "reason" TEXT,
    "result" TEXT NOT NULL,
    "details" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "wallets_ledger_account_id_key" ON "wallets"("ledger_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "wallets_user_id_currency_key" ON "wallets"("user_id", "currency");

-- CreateIndex
CREATE INDEX "holds_status_expires_at_idx" ON "holds"("status", "expires_at");

-- CreateIndex
CREATE INDEX "withdrawals_status_expires_at_idx" ON "withdrawals"("status", "expires_at");

-- CreateIndex
CREATE INDEX "audit_log_wallet_id_at_idx" ON "audit_log"("wallet_id", "at");

-- AddForeignKey
ALTER TABLE "wallet_outflows" ADD CONSTRAINT "wallet_outflows_wallet_id_fkey" FOREIGN KEY ("wallet_id") REFERENCES "wallets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "holds" ADD CONSTRAINT "holds_wallet_id_fkey" FOREIGN KEY ("wallet_id") REFERENCES "wallets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_wallet_id_fkey" FOREIGN KEY ("wallet_id") REFERENCES "wallets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: rules Prisma cannot express.
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_status_check" CHECK ("status" IN ('active', 'frozen', 'closed'));
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_tier_check" CHECK ("tier" >= 0);
ALTER TABLE "wallet_outflows" ADD CONSTRAINT "wallet_outflows_amount_check" CHECK ("amount_minor" >= 0);
ALTER TABLE "holds" ADD CONSTRAINT "holds_status_check" CHECK ("status" IN ('open', 'captured', 'voided', 'expired'));
ALTER TABLE "holds" ADD CONSTRAINT "holds_amount_check" CHECK ("amount_minor" > 0 AND "captured_minor" >= 0 AND "captured_minor" <= "amount_minor");
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_status_check" CHECK ("status" IN ('pending', 'completed', 'failed'));
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_amount_check" CHECK ("amount_minor" > 0);

-- The audit log is append-only: an operator action, once recorded, is never changed or removed.
CREATE FUNCTION audit_log_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_forbid_change();
