CREATE TABLE seen_run AS
SELECT current_setting('lock_timeout') AS lt,
       current_setting('statement_timeout') AS st;
