-- migc:no-transaction
-- Several statements outside a transaction. Each of them can run again
-- after a process died between it and the ledger's note of its progress:
-- IF NOT EXISTS, ON CONFLICT DO NOTHING, and named concurrent index builds
-- (repeatable, cleaned up when left INVALID).
CREATE TABLE IF NOT EXISTS audit_log (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL,
    at timestamptz NOT NULL,
    what text NOT NULL
);

INSERT INTO audit_log (id, account_id, at, what)
SELECT g, g % 15000 + 1, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', 'seed'
FROM generate_series(1, 15000) AS g
ON CONFLICT (id) DO NOTHING;

CREATE INDEX CONCURRENTLY audit_log_at_idx ON audit_log (at);

CREATE INDEX CONCURRENTLY audit_log_account_id_idx ON audit_log (account_id);
