-- migc:statement-timeout 1w
CREATE TABLE m3 (id int);
