-- migc:no-transaction
BEGIN;
VACUUM users;
COMMIT;
