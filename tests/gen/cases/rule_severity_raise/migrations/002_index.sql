-- A [blocking-index] warning by default; `--severity blocking-index=error`
-- (see ../command) makes it an error: exit 1, nothing written.
CREATE INDEX account_email ON account (email);

-- Near-miss: the other rules keep their level: this UPDATE is still
-- a [data-in-migration] note.
UPDATE account SET email = lower(email);
