-- AlterTable
ALTER TABLE "holds" ADD COLUMN     "placed_by" TEXT;
