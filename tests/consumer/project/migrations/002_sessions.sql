CREATE TABLE session (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX idx_session_account ON session (account);
