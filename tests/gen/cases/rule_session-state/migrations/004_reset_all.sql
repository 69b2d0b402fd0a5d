-- Near-miss: RESET ALL puts the whole session back.
SET maintenance_work_mem = '1GB';
RESET ALL;
