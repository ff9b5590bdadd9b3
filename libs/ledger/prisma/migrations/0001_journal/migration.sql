-- The PayLend double-entry journal. Everything lives in schema "ledger" so the wallet service's database can
-- host it next to its own tables. Amounts are BIGINT minor units of the account's currency (ISO 4217
-- exponent), never floating point. The posting path writes whole batches with set-based SQL; the
-- constraints and triggers below are the backstop that holds even if that code is wrong.
CREATE SCHEMA IF NOT EXISTS ledger;

CREATE TABLE ledger.accounts (
  id                              text        PRIMARY KEY,
  currency                        char(3)     NOT NULL,
  normal_side                     text        NOT NULL CHECK (normal_side IN ('debit', 'credit')),
  owner_ref                       text,
  debits_must_not_exceed_credits  boolean     NOT NULL DEFAULT false,
  credits_must_not_exceed_debits  boolean     NOT NULL DEFAULT false,
  credit_limit                    bigint      NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
  status                          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
  debits_posted                   bigint      NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted                  bigint      NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending                  bigint      NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending                 bigint      NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  -- Time of the account's last journal entry: batch timestamps never go back behind it.
  last_entry_at                   timestamptz,
  created_at                      timestamptz NOT NULL,
  updated_at                      timestamptz NOT NULL,
  CONSTRAINT accounts_one_flag CHECK (NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)),
  CONSTRAINT accounts_debits_within_limit CHECK (
    NOT debits_must_not_exceed_credits OR debits_posted + debits_pending <= credits_posted + credit_limit),
  CONSTRAINT accounts_credits_within_limit CHECK (
    NOT credits_must_not_exceed_debits OR credits_posted + credits_pending <= debits_posted + credit_limit)
) WITH (fillfactor = 70); -- room for HOT updates of the balance columns

CREATE TABLE ledger.account_status_changes (
  id          bigserial   PRIMARY KEY,
  account_id  text        NOT NULL REFERENCES ledger.accounts (id),
  from_status text        NOT NULL,
  to_status   text        NOT NULL,
  changed_at  timestamptz NOT NULL
);

-- Append-only: one row per applied transfer (never updated or deleted).
CREATE TABLE ledger.transfers (
  id                text        PRIMARY KEY,
  type              text        NOT NULL CHECK (type IN ('single', 'pending', 'post_pending', 'void_pending', 'expire_pending')),
  debit_account_id  text        NOT NULL,
  credit_account_id text        NOT NULL,
  amount            bigint      NOT NULL CHECK (amount > 0),
  currency          char(3)     NOT NULL,
  code              text        NOT NULL,
  metadata          jsonb,
  pending_id        text,
  timeout_at        timestamptz,
  payload_hash      text        NOT NULL,
  created_at        timestamptz NOT NULL,
  CONSTRAINT transfers_two_accounts CHECK (debit_account_id <> credit_account_id),
  CONSTRAINT transfers_resolution_has_pending CHECK ((type IN ('single', 'pending')) = (pending_id IS NULL))
);
-- A pending transfer is posted, voided or expired at most once.
CREATE UNIQUE INDEX transfers_pending_id_key ON ledger.transfers (pending_id) WHERE pending_id IS NOT NULL;

-- Append-only: two rows per transfer (debit side, credit side), each with the account's balances after it.
CREATE TABLE ledger.entries (
  id              bigserial   PRIMARY KEY,
  transfer_id     text        NOT NULL,
  account_id      text        NOT NULL,
  side            char(1)     NOT NULL CHECK (side IN ('D', 'C')),
  posted_amount   bigint      NOT NULL CHECK (posted_amount >= 0),
  pending_delta   bigint      NOT NULL,
  debits_posted   bigint      NOT NULL CHECK (debits_posted >= 0),
  credits_posted  bigint      NOT NULL CHECK (credits_posted >= 0),
  debits_pending  bigint      NOT NULL CHECK (debits_pending >= 0),
  credits_pending bigint      NOT NULL CHECK (credits_pending >= 0),
  created_at      timestamptz NOT NULL,
  CONSTRAINT entries_moves_something CHECK (posted_amount > 0 OR pending_delta <> 0)
);
-- Statements and balance-as-of walk one account's entries in time order.
CREATE INDEX entries_account_time ON ledger.entries (account_id, created_at, id);

-- Mutable index of holds not yet resolved, so expiry and posting never scan the journal.
CREATE TABLE ledger.open_pendings (
  transfer_id text        PRIMARY KEY,
  timeout_at  timestamptz
);
CREATE INDEX open_pendings_timeout ON ledger.open_pendings (timeout_at) WHERE timeout_at IS NOT NULL;

-- The only trace a refused transfer leaves.
CREATE TABLE ledger.rejections (
  id          bigserial   PRIMARY KEY,
  transfer_id text,
  code        text        NOT NULL,
  message     text        NOT NULL,
  payload     jsonb,
  created_at  timestamptz NOT NULL
);
CREATE INDEX rejections_transfer_id ON ledger.rejections (transfer_id);

-- Backstop: every statement that writes entries must leave each transfer balanced (debit side = credit side
-- for posted and for pending amounts), hence every currency balanced.
CREATE FUNCTION ledger.check_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad text;
BEGIN
  SELECT transfer_id INTO bad FROM new_entries
  GROUP BY transfer_id
  HAVING sum(CASE side WHEN 'D' THEN posted_amount ELSE -posted_amount END) <> 0
      OR sum(CASE side WHEN 'D' THEN pending_delta ELSE -pending_delta END) <> 0
      OR count(*) FILTER (WHERE side = 'D') <> 1 OR count(*) FILTER (WHERE side = 'C') <> 1
  LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'ledger: entries of transfer % do not balance', bad USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER entries_balanced AFTER INSERT ON ledger.entries
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger.check_entries_balanced();

-- Backstop: the journal is append-only; a mistake is corrected by a new transfer.
CREATE FUNCTION ledger.forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger: % is append-only; correct a mistake with a new transfer', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.forbid_change();
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.forbid_change();
