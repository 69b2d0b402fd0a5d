-- migc:statement-timeout 1min
-- migc:statement-timeout 2min
CREATE TABLE a (id int);
