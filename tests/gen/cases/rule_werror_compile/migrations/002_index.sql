-- A [blocking-index] warning: with --werror (see ../command) compile
-- exits 1 and writes nothing; the warning still prints as a warning.
CREATE INDEX account_email ON account (email);

-- A note prints too; notes alone do not fail --werror
-- (rule_werror_compile_notes).
UPDATE account SET email = lower(email);
