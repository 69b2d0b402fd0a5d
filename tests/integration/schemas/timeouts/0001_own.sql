-- migc:lock-timeout 3s
CREATE TABLE seen_own AS
SELECT current_setting('lock_timeout') AS lt,
       current_setting('statement_timeout') AS st;
