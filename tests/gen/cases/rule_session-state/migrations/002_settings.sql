-- Fires [session-state]: SET without LOCAL, never reset, outlives the
-- migration (reported at the SET).
SET statement_timeout = '5s';

-- Near-miss: SET LOCAL ends with the migration's transaction.
SET LOCAL lock_timeout = '2s';

-- Fires: set_config(..., false) is the session-wide form (reported at
-- the call).
SELECT set_config('application_name', 'migrate', false);

-- Near-miss: set_config(..., true) is the SET LOCAL equivalent.
SELECT set_config('work_mem', '64MB', true);

-- Near-miss: a session SET reset before the migration ends leaks nothing.
SET search_path = public;
RESET search_path;
