-- migc:no-transaction
-- Fires: the script runs as written, and PostgreSQL refuses VACUUM
-- inside its BEGIN ... COMMIT.
BEGIN;
VACUUM a;
COMMIT;
-- Near miss: VACUUM outside the block.
VACUUM a;
BEGIN;
CREATE TABLE b (id int);
COMMIT;
