-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "settlement";

-- CreateTable
CREATE TABLE "settlement"."windows" (
    "id" TEXT NOT NULL,
    "scheme" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" TEXT,
    "pending_at" TIMESTAMPTZ(3),
    "settled_at" TIMESTAMPTZ(3),
    "settled_by" TEXT,
    "aborted_at" TIMESTAMPTZ(3),
    "abort_reason" TEXT,
    "carried_to" TEXT,

    CONSTRAINT "windows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settlement"."window_transfers" (
    "transfer_id" TEXT NOT NULL,
    "window_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payer" TEXT NOT NULL,
    "payee" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "fee_minor" BIGINT NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL,
    "order_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "merchant_wallet_id" TEXT NOT NULL,
    "fee_transfer_id" TEXT,
    "cleared_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "window_transfers_pkey" PRIMARY KEY ("transfer_id")
);

-- CreateTable
CREATE TABLE "settlement"."instructions" (
    "reference" TEXT NOT NULL,
    "window_id" TEXT NOT NULL,
    "participant" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "direction" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "bank_account" TEXT NOT NULL,
    "account_name" TEXT,
    "ledger_account_id" TEXT,
    "execution_date" TEXT,

    CONSTRAINT "instructions_pkey" PRIMARY KEY ("reference")
);

-- CreateTable
CREATE TABLE "settlement"."reports" (
    "window_id" TEXT NOT NULL,
    "json" TEXT NOT NULL,
    "csv" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reports_pkey" PRIMARY KEY ("window_id")
);

-- CreateTable
CREATE TABLE "settlement"."reconciliations" (
    "id" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "window_ids" TEXT[],
    "entry_count" INTEGER NOT NULL,
    "matched" INTEGER NOT NULL,
    "break_count" INTEGER NOT NULL,
    "balanced" BOOLEAN NOT NULL,
    "result" JSONB NOT NULL,
    "imported_by" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reconciliations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settlement"."breaks" (
    "id" TEXT NOT NULL,
    "reconciliation_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reference" TEXT,
    "participant" TEXT,
    "residue_account" TEXT,
    "residue_minor" BIGINT,
    "expected_minor" BIGINT,
    "actual_minor" BIGINT,
    "message" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "breaks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settlement"."break_resolutions" (
    "break_id" TEXT NOT NULL,
    "operator" TEXT NOT NULL,
    "source_ip" TEXT,
    "reason" TEXT NOT NULL,
    "target" JSONB NOT NULL,
    "posting_ids" TEXT[],
    "result" TEXT NOT NULL,
    "resolved_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "break_resolutions_pkey" PRIMARY KEY ("break_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "windows_scheme_sequence_key" ON "settlement"."windows"("scheme", "sequence");

-- CreateIndex
CREATE INDEX "window_transfers_window_id_idx" ON "settlement"."window_transfers"("window_id");

-- CreateIndex
CREATE INDEX "instructions_window_id_idx" ON "settlement"."instructions"("window_id");

-- CreateIndex
CREATE UNIQUE INDEX "reconciliations_content_hash_key" ON "settlement"."reconciliations"("content_hash");

-- CreateIndex
CREATE INDEX "breaks_status_idx" ON "settlement"."breaks"("status");

-- AddForeignKey
ALTER TABLE "settlement"."window_transfers" ADD CONSTRAINT "window_transfers_window_id_fkey" FOREIGN KEY ("window_id") REFERENCES "settlement"."windows"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "settlement"."instructions" ADD CONSTRAINT "instructions_window_id_fkey" FOREIGN KEY ("window_id") REFERENCES "settlement"."windows"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "settlement"."breaks" ADD CONSTRAINT "breaks_reconciliation_id_fkey" FOREIGN KEY ("reconciliation_id") REFERENCES "settlement"."reconciliations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "settlement"."break_resolutions" ADD CONSTRAINT "break_resolutions_break_id_fkey" FOREIGN KEY ("break_id") REFERENCES "settlement"."breaks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: exactly one OPEN window per scheme, and a window's transfers cannot change once it settled.
CREATE UNIQUE INDEX "windows_one_open_per_scheme" ON "settlement"."windows" ("scheme") WHERE "status" = 'OPEN';
ALTER TABLE "settlement"."windows" ADD CONSTRAINT "windows_status_check"
  CHECK ("status" IN ('OPEN', 'CLOSED', 'PENDING_SETTLEMENT', 'SETTLED', 'ABORTED'));
ALTER TABLE "settlement"."window_transfers" ADD CONSTRAINT "window_transfers_amounts_check"
  CHECK ("amount_minor" > 0 AND "fee_minor" >= 0 AND "kind" IN ('payment', 'refund'));
ALTER TABLE "settlement"."instructions" ADD CONSTRAINT "instructions_amount_check"
  CHECK ("amount_minor" > 0 AND "direction" IN ('payout', 'collection'));
ALTER TABLE "settlement"."breaks" ADD CONSTRAINT "breaks_status_check" CHECK ("status" IN ('OPEN', 'RESOLVED'));

-- The resolution audit is append-only: who resolved what, when and from where is never rewritten.
CREATE FUNCTION "settlement"."forbid_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'settlement.% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER "break_resolutions_append_only" BEFORE UPDATE OR DELETE ON "settlement"."break_resolutions"
  FOR EACH ROW EXECUTE FUNCTION "settlement"."forbid_change"();
