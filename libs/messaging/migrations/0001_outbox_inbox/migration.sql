-- Transactional outbox and idempotent inbox, shared by every PayLend service database.
CREATE SCHEMA IF NOT EXISTS messaging;

-- Events and commands written in the same transaction as the change they announce; the relay publishes
-- unpublished rows in seq order and marks them.
CREATE TABLE messaging.outbox (
  seq          bigserial PRIMARY KEY,
  message_id   uuid        NOT NULL UNIQUE,
  topic        text        NOT NULL,
  key          text        NOT NULL,
  value        jsonb       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON messaging.outbox (seq) WHERE published_at IS NULL;

-- One row per message a consumer has applied, written in the same transaction as the effect. A command's
-- reply is kept so that a redelivered command is answered with the first result instead of re-applied.
CREATE TABLE messaging.inbox (
  consumer     text        NOT NULL,
  message_id   text        NOT NULL,
  topic        text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  reply        jsonb,
  PRIMARY KEY (consumer, message_id)
);
