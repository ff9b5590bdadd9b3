-- CreateTable
CREATE TABLE "score_decisions" (
    "id" BIGSERIAL NOT NULL,
    "decision_id" UUID NOT NULL,
    "application_id" TEXT NOT NULL,
    "borrower_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "model_version" INTEGER NOT NULL,
    "policy_version" TEXT NOT NULL,
    "inputs" JSONB NOT NULL,
    "behaviour" JSONB NOT NULL,
    "requested_amount" DECIMAL(38,8) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "application_pd" DOUBLE PRECISION NOT NULL,
    "application_score" INTEGER NOT NULL,
    "application_raw_score" DOUBLE PRECISION NOT NULL,
    "pd" DOUBLE PRECISION NOT NULL,
    "score" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "sub_grade" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "max_amount" DECIMAL(38,8) NOT NULL,
    "reason_codes" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "score_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "borrower_features" (
    "borrower_id" TEXT NOT NULL,
    "on_time_repayments" INTEGER NOT NULL DEFAULT 0,
    "late_repayments" INTEGER NOT NULL DEFAULT 0,
    "max_days_late" INTEGER NOT NULL DEFAULT 0,
    "last_repayment_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "borrower_features_pkey" PRIMARY KEY ("borrower_id")
);

-- CreateTable
CREATE TABLE "repayment_facts" (
    "repayment_id" TEXT NOT NULL,
    "borrower_id" TEXT NOT NULL,
    "loan_id" TEXT NOT NULL,
    "due_date" DATE NOT NULL,
    "paid_at" TIMESTAMPTZ(3) NOT NULL,
    "on_time" BOOLEAN NOT NULL,
    "days_late" INTEGER NOT NULL,
    "amount" DECIMAL(38,8) NOT NULL,
    "currency" CHAR(3) NOT NULL,

    CONSTRAINT "repayment_facts_pkey" PRIMARY KEY ("repayment_id")
);

-- CreateTable
CREATE TABLE "counted_transfers" (
    "transfer_id" TEXT NOT NULL,

    CONSTRAINT "counted_transfers_pkey" PRIMARY KEY ("transfer_id")
);

-- CreateTable
CREATE TABLE "wallet_owners" (
    "wallet_id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wallet_owners_pkey" PRIMARY KEY ("wallet_id")
);

-- CreateTable
CREATE TABLE "wallet_inflows" (
    "wallet_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "total" DECIMAL(38,8) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "wallet_inflows_pkey" PRIMARY KEY ("wallet_id","currency")
);

-- CreateTable
CREATE TABLE "model_drift_state" (
    "model_name" TEXT NOT NULL,
    "model_version" INTEGER NOT NULL,
    "alerting" BOOLEAN NOT NULL DEFAULT false,
    "last_psi" DOUBLE PRECISION,
    "sample_size" INTEGER NOT NULL DEFAULT 0,
    "last_checked_at" TIMESTAMPTZ(3),
    "last_alert_at" TIMESTAMPTZ(3),

    CONSTRAINT "model_drift_state_pkey" PRIMARY KEY ("model_name","model_version")
);

-- CreateIndex
CREATE UNIQUE INDEX "score_decisions_decision_id_key" ON "score_decisions"("decision_id");

-- CreateIndex
CREATE INDEX "score_decisions_model_name_model_version_id_idx" ON "score_decisions"("model_name", "model_version", "id");

-- CreateIndex
CREATE INDEX "score_decisions_borrower_id_decided_at_idx" ON "score_decisions"("borrower_id", "decided_at");

-- CreateIndex
CREATE INDEX "score_decisions_application_id_idx" ON "score_decisions"("application_id");

-- CreateIndex
CREATE INDEX "repayment_facts_borrower_id_idx" ON "repayment_facts"("borrower_id");

-- CreateIndex
CREATE INDEX "wallet_owners_owner_id_idx" ON "wallet_owners"("owner_id");
