-- CreateTable
CREATE TABLE "peer_sightings" (
    "service" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "peer_sightings_pkey" PRIMARY KEY ("service","instance_id")
);
