-- migc:statement-timeout 10 min
CREATE TABLE m1 (id int);
