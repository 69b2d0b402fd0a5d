-- migc:statement-timeout 1d
-- migc:lock-timeout 2s
CREATE TABLE b (id int);
