-- migc:no-transaction
-- migc:statement-timeout 4min
CREATE TABLE seen_outside AS
SELECT current_setting('lock_timeout') AS lt,
       current_setting('statement_timeout') AS st;
