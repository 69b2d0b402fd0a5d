-- PostgreSQL runs an ALTER TABLE's subcommands in passes: every ADD COLUMN
-- before any ADD CONSTRAINT, so a constraint written first sees the column
-- a later subcommand adds (as Atlas writes its migrations).
ALTER TABLE charges
    ADD CONSTRAINT currency_reference CHECK ((currency IS NULL) <> (custom_currency_id IS NULL)),
    ALTER COLUMN currency DROP NOT NULL,
    ADD CONSTRAINT charges_custom_currency_fkey FOREIGN KEY (custom_currency_id) REFERENCES currencies (id),
    ADD CONSTRAINT charges_custom_currency_key UNIQUE (id, custom_currency_id),
    ADD COLUMN custom_currency_id text NULL;
