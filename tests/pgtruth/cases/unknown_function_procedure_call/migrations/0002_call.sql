CALL backfill_users();
