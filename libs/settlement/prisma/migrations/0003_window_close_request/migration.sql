-- AlterTable
ALTER TABLE "settlement"."windows" ADD COLUMN     "close_request_id" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "windows_scheme_close_request_id_key" ON "settlement"."windows"("scheme", "close_request_id");
