-- migc:statement-timeout 25d
CREATE TABLE m6 (id int);
