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

-- CreateIndex
CREATE INDEX "repayment_facts_borrower_id_idx" ON "repayment_facts"("borrower_id");
