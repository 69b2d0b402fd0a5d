-- reliability fixture: accounts, with enough rows that the migrations after
-- it take a few hundred milliseconds in all, so that a kill at a random
-- moment usually lands in the middle of one.
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO accounts (id, email)
SELECT g, 'user' || g || '@example.com'
FROM generate_series(1, 15000) AS g;
