-- migc:statement-timeout -1
CREATE TABLE m4 (id int);
