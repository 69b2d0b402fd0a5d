-- Renames and drops: the catalog must follow them.
ALTER TABLE accounts RENAME COLUMN display_name TO full_name;
ALTER TABLE accounts DROP COLUMN legacy_code; -- takes accounts_legacy_code_idx
ALTER TYPE billing.invoice_state RENAME TO invoice_status;
ALTER TYPE priority RENAME TO account_priority;
ALTER INDEX accounts_active_idx RENAME TO accounts_named_recent_idx;
ALTER TABLE orders DROP CONSTRAINT orders_qty_small;
ALTER TABLE orders DROP CONSTRAINT orders_account_id_starts_on_key;

-- Names chosen after the renames and drops.
CREATE INDEX ON accounts (full_name);
CREATE INDEX ON accounts (lower(email)); -- accounts_lower_idx is taken
ALTER TABLE accounts ADD COLUMN legacy_code integer;
ALTER TABLE accounts ADD CHECK (legacy_code > 0);
