-- one of each is fine
-- migc:statement-timeout 1min
-- migc:lock-timeout 1min
CREATE TABLE b (id int);
